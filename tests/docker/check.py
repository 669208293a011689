#!/usr/bin/env python3
"""Checks of the container files in docker/, without a Docker engine.

  check.py dockerfile [DOCKERFILE [DOCKERIGNORE]]
                                        hadolint (pinned binary wheel) with docker/hadolint.yaml,
                                        our own rules (also on .dockerignore), and shellcheck on
                                        docker/entrypoint.sh
  check.py compose [FILE...]            each compose file against the Compose specification's
                                        JSON schema (vendored by check-jsonschema), our own rules,
                                        and the Caddyfile beside compose.yml
  check.py env FILE SERVICE [K=V...]    the service's environment after compose's interpolation,
                                        with K=V (and nothing else) as the shell's variables

Every command prints findings one per line and ends with one JSON line: {"ok": ..., ...};
it exits 1 when anything was found. Run it with the virtualenv of tests/docker/requirements.txt
(the e2e module tests/tests/e2e/docker_files.rs does).
"""

import importlib.resources
import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
DOCKER = ROOT / "docker"
BIN = Path(sys.executable).parent


def tool(name):
    """A linter binary from this virtualenv (the pinned wheels), never one from PATH."""
    path = BIN / name
    if not path.exists():
        raise SystemExit(f"{name} is not installed in {BIN}: install tests/docker/requirements.txt")
    return str(path)


# --- Dockerfile --------------------------------------------------------------------------------


def dockerfile_instructions(text):
    """(line number, INSTRUCTION, arguments) with continuation lines joined, comments dropped."""
    out, buf, start = [], "", 0
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not buf and (not stripped or stripped.startswith("#")):
            continue
        if buf and stripped.startswith("#"):
            continue  # a comment inside a continued instruction
        if not buf:
            start = number
        if stripped.endswith("\\"):
            buf += stripped[:-1] + " "
            continue
        buf += stripped
        word, _, rest = buf.partition(" ")
        out.append((start, word.upper(), rest.strip()))
        buf = ""
    if buf:
        word, _, rest = buf.partition(" ")
        out.append((start, word.upper(), rest.strip()))
    return out


def substitute(text, args):
    return re.sub(
        r"\$\{(\w+)\}|\$(\w+)", lambda m: args.get(m.group(1) or m.group(2), m.group(0)), text
    )


def without_flags(arguments):
    return [w for w in arguments.split() if not w.startswith("--")]


def dockerfile_rules(text):
    """Our own rules; hadolint covers the rest. Returns a list of findings."""
    problems = []
    instructions = dockerfile_instructions(text)
    global_args, stages = {}, []
    for line, word, rest in instructions:
        if word == "ARG" and not stages:
            name, _, default = rest.partition("=")
            global_args[name.strip()] = default.strip().strip('"')
        elif word == "FROM":
            parts = without_flags(rest)
            name = parts[2] if len(parts) >= 3 and parts[1].upper() == "AS" else None
            stages.append({"line": line, "image": parts[0], "name": name, "body": []})
        elif stages:
            stages[-1]["body"].append((line, word, rest))
    if len(stages) < 2:
        problems.append("not a multi-stage build: the runtime image must not carry the toolchain")
        if not stages:
            return problems
    names = {s["name"] for s in stages if s["name"]}
    for stage in stages:
        image = substitute(stage["image"], global_args)
        if image in names:
            continue
        if "$" in image:
            problems.append(f"line {stage['line']}: FROM {stage['image']} has an unset ARG")
            continue
        tag = image.split("@")[0].rsplit("/", 1)[-1]
        if "@sha256:" not in image and ":" not in tag:
            problems.append(f"line {stage['line']}: FROM {image} has no tag (means latest)")
        elif tag.endswith(":latest"):
            problems.append(f"line {stage['line']}: FROM {image} uses the latest tag")
    for line, word, rest in instructions:
        if word == "ADD" and re.search(r"(^|\s)(https?://|git@|\S+\.git(\s|$))", rest):
            problems.append(f"line {line}: ADD of a URL (fetch it in a RUN with a checksum)")
    final = stages[-1]["body"]
    users = [rest for _, word, rest in final if word == "USER"]
    if not users:
        problems.append("the final stage has no USER: the server would run as root")
    elif users[-1].split(":")[0] in ("root", "0"):
        problems.append(f"the final stage runs as USER {users[-1]}")
    checks = [rest for _, word, rest in final if word == "HEALTHCHECK"]
    if not checks or checks[-1].upper().startswith("NONE"):
        problems.append("the final stage has no HEALTHCHECK")
    elif "healthcheck" not in checks[-1] and "/healthz" not in checks[-1]:
        problems.append("the HEALTHCHECK asks neither /healthz nor the entrypoint's healthcheck")
    if not any(word == "VOLUME" for _, word, _ in final):
        problems.append("the final stage declares no VOLUME for its data")
    entry = [rest for _, word, rest in final if word == "ENTRYPOINT"]
    copied = [rest for _, word, rest in final if word == "COPY" and "docker/entrypoint.sh" in rest]
    if not entry or not copied:
        problems.append("the final stage does not use docker/entrypoint.sh as its ENTRYPOINT")
    problems += dependency_layer_rules(stages)
    return problems


def dependency_layer_rules(stages):
    """The build stage compiles the dependencies from the manifests before copying the sources."""
    for stage in stages[:-1]:
        body = stage["body"]
        whole = next(
            (i for i, (_, w, rest) in enumerate(body) if w == "COPY" and without_flags(rest)[0] == "."),
            None,
        )
        if whole is None:
            continue
        before = body[:whole]
        lock = any(w == "COPY" and "Cargo.lock" in rest for _, w, rest in before)
        built = any(w == "RUN" and "cargo build" in rest for _, w, rest in before)
        if lock and built:
            return []
        return [
            f"line {body[whole][0]}: the sources are copied before the dependencies are built "
            "(no cached dependency layer)"
        ]
    return ["no build stage copies the workspace (COPY . .)"]


# What the build stage needs from the context, and what must stay out of it (build output,
# history, local databases and secrets).
CONTEXT_NEEDED = ["Cargo.toml", "Cargo.lock", "server/src/main.rs", "federation/src/lib.rs",
                  "tests/Cargo.toml", "migrations/sqlite", "migrations/postgres",
                  "server/templates", "server/locales", "server/static"]
CONTEXT_EXCLUDED = ["target", ".git", ".env", "data/revier.db"]


def dockerignore_rules(dockerignore):
    """A simplified reading of .dockerignore (no `!` exceptions): a pattern excludes a path
    when it matches the path or one of its parent directories."""
    import fnmatch

    if not dockerignore.is_file():
        return [".dockerignore is missing at the repository root"]
    patterns = [
        line.strip().rstrip("/")
        for line in dockerignore.read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if any(p.startswith("!") for p in patterns):
        return [".dockerignore uses `!` exceptions, which this check does not read"]

    def excluded(path):
        parts = path.split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        for pattern in patterns:
            bare = pattern.removeprefix("**/")
            for prefix in prefixes:
                if fnmatch.fnmatch(prefix, pattern) or fnmatch.fnmatch(prefix.split("/")[-1], bare):
                    return True
        return False

    problems = [f".dockerignore excludes {p}, which the build needs" for p in CONTEXT_NEEDED if excluded(p)]
    problems += [f".dockerignore lets {p} into the build context" for p in CONTEXT_EXCLUDED if not excluded(p)]
    return problems


def check_dockerfile(path, dockerignore):
    problems = dockerignore_rules(dockerignore)
    hadolint = subprocess.run(
        [tool("hadolint"), "--no-color", "-c", str(DOCKER / "hadolint.yaml"), str(path)],
        capture_output=True,
        text=True,
    )
    if hadolint.returncode != 0:
        findings = (hadolint.stdout + hadolint.stderr).strip().splitlines()
        problems += [f"hadolint: {f}" for f in findings] or ["hadolint failed"]
    problems += dockerfile_rules(path.read_text())
    shellcheck = subprocess.run(
        [tool("shellcheck"), "--shell=sh", "--severity=style", str(DOCKER / "entrypoint.sh")],
        capture_output=True,
        text=True,
    )
    if shellcheck.returncode != 0:
        problems.append("shellcheck docker/entrypoint.sh:\n" + shellcheck.stdout.strip())
    return problems


# --- Compose -----------------------------------------------------------------------------------


def compose_schema():
    files = importlib.resources.files("check_jsonschema") / "builtin_schemas" / "vendor"
    return json.loads((files / "compose-spec.json").read_text())


def load_yaml(path):
    return YAML(typ="safe", pure=True).load(path.read_text())


INTERPOLATION = re.compile(r"\$\$|\$\{(\w+)(?:(:?[-?])([^}]*))?\}|\$(\w+)")


def interpolate(value, variables):
    """Compose's interpolation of one string: ${V}, ${V:-d}, ${V-d}, ${V:?e}, ${V?e}, $V, $$."""

    def one(m):
        if m.group(0) == "$$":
            return "$"
        name = m.group(1) or m.group(4)
        op, arg = m.group(2), m.group(3)
        val = variables.get(name)
        if op in (":-", ":?") and val == "":
            val = None
        if val is not None:
            return val
        if op in (":-", "-"):
            return arg
        if op in (":?", "?"):
            raise ValueError(f"{name}: {arg}")
        return ""

    return INTERPOLATION.sub(one, value)


def environment(service, variables):
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {k: interpolate(str(v if v is not None else ""), variables) for k, v in env.items()}


def image_tag_problem(name, image):
    image = interpolate(image, {})  # the file's defaults: what runs when nothing is set
    tag = image.split("@")[0].rsplit("/", 1)[-1]
    if "@sha256:" not in image and (":" not in tag or tag.endswith(":latest")):
        return f"service {name}: image {image} needs a fixed tag (not latest)"
    return None


def compose_rules(path, doc):
    problems = []
    services = doc.get("services") or {}
    declared = set((doc.get("volumes") or {}).keys())
    for name, svc in services.items():
        check = svc.get("healthcheck") or {}
        if not check.get("test") or check.get("disable"):
            problems.append(f"service {name} has no healthcheck")
        if "image" in svc and (p := image_tag_problem(name, svc["image"])):
            problems.append(p)
        for dep, cond in (svc.get("depends_on") or {}).items() if isinstance(
            svc.get("depends_on"), dict
        ) else [(d, {}) for d in svc.get("depends_on") or []]:
            if dep not in services:
                problems.append(f"service {name} depends on unknown service {dep}")
            elif (cond or {}).get("condition") != "service_healthy":
                problems.append(f"service {name} starts before {dep} is healthy")
        for vol in svc.get("volumes") or []:
            source = vol.split(":")[0] if isinstance(vol, str) else vol.get("source", "")
            if source and not source.startswith((".", "/")) and source not in declared:
                problems.append(f"service {name}: volume {source} is not declared")
    revier = services.get("revier")
    if revier is None:
        return problems + ["no service named revier"]
    if "build" not in revier or "docker/Dockerfile" not in json.dumps(revier.get("build")):
        problems.append("service revier is not built from docker/Dockerfile")
    mounts = [v.split(":")[1] if isinstance(v, str) else v.get("target") for v in revier.get("volumes") or []]
    if "/var/lib/revier" not in mounts:
        problems.append("service revier keeps /var/lib/revier (the image's VOLUME) in no named volume")
    env = environment(revier, {"REVIER_DOMAIN": "example.org", "POSTGRES_PASSWORD": "pw"})
    for key in ("REVIER_DOMAIN", "REVIER_BIND", "REVIER_DATABASE_URL"):
        if not env.get(key):
            problems.append(f"service revier does not set {key}")
    db = env.get("REVIER_DATABASE_URL", "")
    if db.startswith("sqlite://"):
        if not db.removeprefix("sqlite://").startswith("/var/lib/revier/"):
            problems.append("the SQLite database is not under the volume /var/lib/revier")
        if len(services) != 1:
            problems.append("a SQLite compose file runs Revier alone")
    elif db.startswith("postgres://"):
        host = re.sub(r"^postgres://[^@]*@", "", db).split(":")[0].split("/")[0]
        if host not in services:
            problems.append(f"REVIER_DATABASE_URL names host {host}, which is no service here")
        else:
            deps = revier.get("depends_on") or {}
            if host not in deps:
                problems.append(f"service revier does not wait for {host}")
    else:
        problems.append(f"REVIER_DATABASE_URL {db!r} is neither sqlite:// nor postgres://")
    return problems


def caddy_rules(caddyfile, compose_doc):
    """The Caddyfile serves REVIER_DOMAIN and proxies to the revier service's port with Host kept."""
    problems = []
    text = caddyfile.read_text()
    lines = [line.split("#")[0].strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    services = compose_doc.get("services") or {}
    caddy = next((s for s in services.values() if str(s.get("image", "")).startswith("caddy:")), None)
    if caddy is None:
        return ["compose.yml has no Caddy service"]
    if not any("Caddyfile:/etc/caddy/Caddyfile" in str(v) for v in caddy.get("volumes") or []):
        problems.append("the Caddy service does not mount docker/Caddyfile")
    if "REVIER_DOMAIN" not in (caddy.get("environment") or {}):
        problems.append("the Caddy service does not get REVIER_DOMAIN")
    ports = [str(p) for p in caddy.get("ports") or []]
    if not any(p.endswith("443:443") for p in ports):
        problems.append("the Caddy service does not publish port 443")
    if not any(line.startswith("{$REVIER_DOMAIN}") and line.endswith("{") for line in lines):
        problems.append("the Caddyfile has no site block for {$REVIER_DOMAIN}")
    bind = environment(services.get("revier", {}), {"REVIER_DOMAIN": "x", "POSTGRES_PASSWORD": "x"})
    port = bind.get("REVIER_BIND", ":8080").rsplit(":", 1)[-1]
    if not any(line.startswith(f"reverse_proxy revier:{port}") for line in lines):
        problems.append(f"the Caddyfile does not reverse_proxy to revier:{port}")
    host_lines = [line for line in lines if line.startswith("header_up Host")]
    if any(line != "header_up Host {host}" for line in host_lines):
        problems.append("the Caddyfile rewrites the Host header: signatures cover it")
    return problems


def env_example_rules(compose_path):
    """docker/env.example (copied to .env by the admin) names every variable compose.yml reads."""
    example = compose_path.parent / "env.example"
    if not example.is_file():
        return ["missing beside compose.yml"]
    named = {
        line.split("=", 1)[0].strip()
        for line in example.read_text().splitlines()
        if "=" in line and not line.lstrip().startswith("#")
    }
    used = set()

    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                walk(k)
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
        elif isinstance(node, str):
            used.update(m.group(1) or m.group(4) for m in INTERPOLATION.finditer(node))

    walk(load_yaml(compose_path))
    used.discard(None)
    used.discard("REVIER_IMAGE")  # for prebuilt images only; the default builds from source
    return [f"does not name {name}, which compose.yml reads" for name in sorted(used - named)]


def check_compose(paths):
    problems = []
    validator_class = jsonschema.validators.validator_for(compose_schema())
    validator = validator_class(compose_schema())
    for path in paths:
        try:
            doc = load_yaml(path)
        except Exception as e:  # a YAML syntax error: report it like any finding
            problems.append(f"{path.name}: not YAML: {e}")
            continue
        for error in sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path)):
            where = "/".join(str(p) for p in error.absolute_path) or "(top)"
            problems.append(f"{path.name}: schema: {where}: {error.message}")
        problems += [f"{path.name}: {p}" for p in compose_rules(path, doc or {})]
        if path.name == "compose.yml":
            problems += [f"Caddyfile: {p}" for p in caddy_rules(path.parent / "Caddyfile", doc or {})]
            problems += [f"env.example: {p}" for p in env_example_rules(path)]
    return problems


# --- main --------------------------------------------------------------------------------------


def finish(problems, **extra):
    for p in problems:
        print(p)
    print(json.dumps({"ok": not problems, "problems": len(problems), **extra}))
    sys.exit(1 if problems else 0)


def main(argv):
    if len(argv) < 2:
        raise SystemExit(__doc__)
    command, rest = argv[1], argv[2:]
    if command == "dockerfile":
        path = Path(rest[0]) if rest else DOCKER / "Dockerfile"
        ignore = Path(rest[1]) if len(rest) > 1 else ROOT / ".dockerignore"
        finish(check_dockerfile(path, ignore), file=str(path))
    elif command == "compose":
        paths = [Path(p) for p in rest] or [DOCKER / "compose.yml", DOCKER / "compose.sqlite.yml"]
        finish(check_compose(paths), files=[str(p) for p in paths])
    elif command == "env":
        path, service = Path(rest[0]), rest[1]
        variables = dict(kv.split("=", 1) for kv in rest[2:])
        svc = (load_yaml(path).get("services") or {}).get(service)
        if svc is None:
            finish([f"{path.name} has no service {service}"])
        try:
            env = environment(svc, variables)
        except ValueError as e:
            finish([f"{path.name}: required variable missing: {e}"])
        finish([], env=env)
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
