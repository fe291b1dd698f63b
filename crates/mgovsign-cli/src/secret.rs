//! Where a key-store password comes from.
//!
//! Passwords never travel on the command line in normal use (they would show in `ps` and shell
//! history): `--password-env VAR` reads an environment variable, `--password-file F` reads the first
//! line of a file. `--password` exists for tests and demos only and says so in `--help`.

use std::path::PathBuf;

use clap::Args;

/// The password options every subcommand that opens a key store takes.
#[derive(Args, Debug, Clone, Default)]
pub(crate) struct PasswordArgs {
    /// Read the key-store password from this environment variable.
    #[arg(long, value_name = "VAR", group = "password-source")]
    pub(crate) password_env: Option<String>,
    /// Read the key-store password from the first line of this file.
    #[arg(long, value_name = "FILE", group = "password-source")]
    pub(crate) password_file: Option<PathBuf>,
    /// UNSAFE: the password itself on the command line (visible in `ps` and shell history).
    /// For tests and demos only.
    #[arg(long, value_name = "PASSWORD", group = "password-source")]
    pub(crate) password: Option<String>,
}

/// Why no password could be had.
#[derive(Debug)]
pub(crate) enum PasswordError {
    /// None of the three options was given.
    Missing,
    /// `--password-env` named a variable that is unset or not UTF-8.
    EnvUnset(String),
    /// `--password-file` could not be read.
    File(PathBuf, std::io::Error),
}

impl std::fmt::Display for PasswordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Missing => {
                f.write_str("a password is needed: use --password-env VAR or --password-file FILE")
            }
            Self::EnvUnset(var) => {
                write!(f, "environment variable {var} is not set (or not UTF-8)")
            }
            Self::File(path, e) => write!(f, "cannot read password file {}: {e}", path.display()),
        }
    }
}

impl PasswordArgs {
    /// Resolves the password. The caller zeroizes it after use.
    pub(crate) fn resolve(&self) -> Result<String, PasswordError> {
        if let Some(var) = &self.password_env {
            return std::env::var(var).map_err(|_| PasswordError::EnvUnset(var.clone()));
        }
        if let Some(path) = &self.password_file {
            let text =
                std::fs::read_to_string(path).map_err(|e| PasswordError::File(path.clone(), e))?;
            let line = text.lines().next().unwrap_or_default();
            return Ok(line.to_owned());
        }
        if let Some(p) = &self.password {
            return Ok(p.clone());
        }
        Err(PasswordError::Missing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_takes_first_line_without_newline() {
        let dir = std::env::temp_dir().join(format!("mgovsign-pw-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("pw");
        std::fs::write(&f, "Qwerty12\r\nignored\n").unwrap();
        let args = PasswordArgs {
            password_file: Some(f),
            ..Default::default()
        };
        assert_eq!(args.resolve().unwrap(), "Qwerty12");
    }

    #[test]
    fn missing_and_unset() {
        assert!(matches!(
            PasswordArgs::default().resolve(),
            Err(PasswordError::Missing)
        ));
        let args = PasswordArgs {
            password_env: Some("MGOVSIGN_SURELY_UNSET_VAR".into()),
            ..Default::default()
        };
        assert!(
            matches!(args.resolve(), Err(PasswordError::EnvUnset(v)) if v == "MGOVSIGN_SURELY_UNSET_VAR")
        );
    }
}
