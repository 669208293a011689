//! The `revier` binary: parse the command line and run it.

fn main() -> std::process::ExitCode {
    revier::cli::main()
}
