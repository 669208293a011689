//! SPDX license expressions (SPDX spec annex D): `MIT`, `EUPL-1.2`,
//! `GPL-3.0-or-later WITH Classpath-exception-2.0`, `MIT OR Apache-2.0`, `LicenseRef-…`.
//! Parsed with the `spdx` crate in strict mode, except that deprecated identifiers
//! (`GPL-3.0`, `AGPL-3.0`) are accepted: they are still on the SPDX list and many real
//! publiccode.yml files (Developers Italia, openCode) use them.

/// A license expression that parsed; kept exactly as written (trimmed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpdxLicense(String);

const MODE: spdx::ParseMode = spdx::ParseMode {
    allow_slash_as_or_operator: false,
    allow_imprecise_license_names: false,
    allow_postfix_plus_on_gpl: false,
    allow_deprecated: true,
    allow_unknown: false,
};

impl SpdxLicense {
    /// Parses an expression; the error says what is wrong, for a person to fix it.
    pub fn parse(s: &str) -> Result<SpdxLicense, String> {
        let s = s.trim();
        if s.is_empty() {
            return Err("the license must not be empty".into());
        }
        if s.len() > 500 {
            return Err("the license expression is longer than 500 characters".into());
        }
        spdx::Expression::parse_mode(s, MODE).map_err(|e| {
            format!(
                "{s:?} is not a valid SPDX license expression ({}); use identifiers from https://spdx.org/licenses/ such as \"EUPL-1.2\" or \"MIT OR Apache-2.0\"",
                e.reason
            )
        })?;
        Ok(SpdxLicense(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_expressions_parse() {
        for ok in [
            "MIT",
            "EUPL-1.2",
            "AGPL-3.0-or-later",
            "AGPL-3.0",
            "MIT OR Apache-2.0",
            "GPL-2.0-or-later WITH Classpath-exception-2.0",
            "(MIT AND BSD-3-Clause) OR EUPL-1.2",
            "LicenseRef-Stadt-Dortmund",
        ] {
            assert!(SpdxLicense::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn nonsense_is_refused() {
        for bad in [
            "",
            "GPL",
            "MIT OR",
            "Apache 2",
            "mit",
            "MIT/Apache-2.0",
            "Proprietary",
        ] {
            assert!(SpdxLicense::parse(bad).is_err(), "{bad}");
        }
    }
}
