//! The testkit's error type.

/// Everything that can go wrong while generating or writing the dev PKI.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DevPkiError {
    /// A key could not be generated, encoded or used to sign.
    #[error("{what}: {source}")]
    Crypto {
        /// Which step failed.
        what: &'static str,
        /// The crypto layer's error.
        source: mgovsign_crypto::Error,
    },
    /// A PKCS#12 or PEM container could not be written.
    #[error("PKCS#12 for {profile}: {source}")]
    Pkcs12 {
        /// The profile's file name.
        profile: &'static str,
        /// The writer's error.
        source: mgovsign_crypto::pkcs12::Pkcs12Error,
    },
    /// A DER structure could not be encoded.
    #[error("could not encode {what}")]
    Encoding {
        /// What was being encoded.
        what: &'static str,
    },
    /// A validity or CRL date falls outside what X.509 `Time` can express (1950..=9999), or the
    /// epoch plus an offset overflowed.
    #[error("time out of range (year {year})")]
    TimeOutOfRange {
        /// The offending year (0 when the arithmetic itself overflowed).
        year: i32,
    },
    /// The base URL must be `http://` or `https://` and end with `/`.
    #[error("base URL {url:?} must start with http:// or https:// and end with '/'")]
    BadBaseUrl {
        /// The rejected URL.
        url: String,
    },
    /// Writing the output directory failed.
    #[error("writing {path}: {source}")]
    Io {
        /// The file or directory.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
}
