//! Loading PKCS#8 private keys and X.509 certificates from PEM, DER or bare base64 text, and
//! writing PEM.
//!
//! ```
//! use mgovsign_crypto::pem;
//!
//! # fn main() -> Result<(), mgovsign_crypto::pkcs12::Pkcs12Error> {
//! // The NCA SDK 2020 `.cer` files are base64 text of the DER certificate; PEM and DER load too.
//! let der = [0x30, 0x03, 0x02, 0x01, 0x05];
//! let text = pem::encode("CERTIFICATE", &der);
//! assert_eq!(pem::certificate(text.as_bytes())?, der);
//! assert_eq!(pem::certificate(b"MAMCAQU=\r\n")?, der);
//! assert_eq!(pem::certificate(&der)?, der);
//! # Ok(()) }
//! ```
//!
//! | Input | Function | Accepted forms |
//! |---|---|---|
//! | PKCS#8 private key | [`private_key_pkcs8`] | PEM `PRIVATE KEY`, DER |
//! | encrypted PKCS#8 | [`encrypted_private_key_pkcs8`] | PEM `ENCRYPTED PRIVATE KEY`, DER; PBES2 or PKCS#12 PBE |
//! | one certificate | [`certificate`] | PEM `CERTIFICATE`, DER, base64 text |
//! | several certificates | [`certificates`] | concatenated PEM blocks (other labels skipped), or one DER/base64 |
//!
//! Whitespace (spaces, tabs, CR, LF) anywhere in base64 is ignored. Legacy OpenSSL PEM
//! encryption (`Proc-Type: 4,ENCRYPTED` headers) and PKCS#1 `RSA PRIVATE KEY` blocks are not
//! accepted: convert them with `openssl pkcs8 -topk8`. Key material is decoded into zeroizing
//! buffers. Results are checked to be exactly one DER/BER SEQUENCE; their contents are parsed
//! by the key and certificate types, not here.

use base64::Engine as _;
use zeroize::Zeroizing;

use crate::pkcs12::Pkcs12Error;

const PRIVATE_KEY: &str = "PRIVATE KEY";
const ENCRYPTED_PRIVATE_KEY: &str = "ENCRYPTED PRIVATE KEY";
const CERTIFICATE: &str = "CERTIFICATE";

fn invalid(what: &'static str) -> Pkcs12Error {
    Pkcs12Error::InvalidText { what }
}

/// One PEM block: its label and the byte range of its base64 body in the input.
struct Block<'a> {
    label: &'a str,
    body: &'a [u8],
}

/// PEM when it holds a BEGIN line and does not start like DER (explanatory text before the
/// block, as `openssl x509 -text` writes, is allowed).
fn is_pem(input: &[u8]) -> bool {
    input.first() != Some(&0x30) && find(input, b"-----BEGIN ").is_some()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Splits `input` into PEM blocks (RFC 7468 "lax" parsing: text between blocks is ignored).
fn blocks(input: &[u8]) -> Result<Vec<Block<'_>>, Pkcs12Error> {
    let mut out = Vec::new();
    let mut rest = input;
    while let Some(begin) = find(rest, b"-----BEGIN ") {
        let after = &rest[begin + 11..];
        let label_end = find(after, b"-----").ok_or(invalid("unterminated BEGIN line"))?;
        let label = core::str::from_utf8(&after[..label_end])
            .map_err(|_| invalid("PEM label is not text"))?;
        let body_and_rest = &after[label_end + 5..];
        let end_marker = [b"-----END ".as_slice(), label.as_bytes(), b"-----"].concat();
        let end = find(body_and_rest, &end_marker).ok_or(invalid("PEM block without END line"))?;
        out.push(Block {
            label,
            body: &body_and_rest[..end],
        });
        rest = &body_and_rest[end + end_marker.len()..];
    }
    if out.is_empty() {
        return Err(invalid("no PEM block"));
    }
    Ok(out)
}

/// Decodes base64 text, ignoring ASCII whitespace, into a zeroizing buffer.
fn decode_base64(text: &[u8]) -> Result<Zeroizing<Vec<u8>>, Pkcs12Error> {
    if find(text, b":").is_some() {
        return Err(invalid(
            "PEM headers (legacy encrypted PEM) are not supported",
        ));
    }
    // Both buffers are sized up front: growing a zeroizing Vec would leave copies behind.
    let mut compact = Zeroizing::new(Vec::with_capacity(text.len()));
    compact.extend(text.iter().copied().filter(|b| !b.is_ascii_whitespace()));
    let mut out = Zeroizing::new(Vec::with_capacity(compact.len().div_ceil(4) * 3 + 3));
    base64::engine::general_purpose::STANDARD
        .decode_vec(compact.as_slice(), &mut out)
        .map_err(|_| invalid("not valid base64"))?;
    Ok(out)
}

/// Checks that `der` is exactly one SEQUENCE.
fn check_sequence(der: &[u8]) -> Result<(), Pkcs12Error> {
    crate::pkcs12::check_single_sequence(der)
}

/// The single block labelled `label`.
fn single_block<'a>(input: &'a [u8], label: &'static str) -> Result<Block<'a>, Pkcs12Error> {
    let mut found = blocks(input)?;
    if found.len() != 1 {
        return Err(invalid("expected exactly one PEM block"));
    }
    let block = found.remove(0);
    if block.label != label {
        return Err(Pkcs12Error::PemLabel {
            found: block.label.to_owned(),
            expected: label,
        });
    }
    Ok(block)
}

/// A PKCS#8 private key (`PrivateKeyInfo`/`OneAsymmetricKey`) from PEM `PRIVATE KEY` or DER.
///
/// # Errors
/// `PemLabel` for another PEM label (e.g. `RSA PRIVATE KEY`), `InvalidText` for bad base64,
/// `Malformed` when the result is not one SEQUENCE.
pub fn private_key_pkcs8(input: &[u8]) -> Result<Zeroizing<Vec<u8>>, Pkcs12Error> {
    let der = if is_pem(input) {
        decode_base64(single_block(input, PRIVATE_KEY)?.body)?
    } else {
        Zeroizing::new(input.to_vec())
    };
    check_sequence(&der)?;
    Ok(der)
}

/// A password-protected PKCS#8 key (`EncryptedPrivateKeyInfo`, PEM `ENCRYPTED PRIVATE KEY` or
/// DER), decrypted with the same schemes as PKCS#12 bags (PBES2 with PBKDF2 + AES/3DES, PKCS#12
/// PBE 3DES/RC2).
///
/// # Errors
/// `WrongPassword` when decryption fails (there is no MAC to tell a wrong password apart from
/// damage), plus the errors of [`private_key_pkcs8`] and `UnsupportedAlgorithm`.
pub fn encrypted_private_key_pkcs8(
    input: &[u8],
    password: impl AsRef<[u8]>,
) -> Result<Zeroizing<Vec<u8>>, Pkcs12Error> {
    let der = if is_pem(input) {
        decode_base64(single_block(input, ENCRYPTED_PRIVATE_KEY)?.body)?
    } else {
        Zeroizing::new(input.to_vec())
    };
    crate::pkcs12::decrypt_pkcs8(&der, password.as_ref())
}

/// One certificate from PEM `CERTIFICATE`, DER, or base64 text of the DER (the NCA SDK `.cer`
/// form). The bytes are returned as encoded (no re-encoding).
///
/// # Errors
/// `PemLabel`, `InvalidText`, or `Malformed` when the result is not one SEQUENCE.
pub fn certificate(input: &[u8]) -> Result<Vec<u8>, Pkcs12Error> {
    let der = if is_pem(input) {
        decode_base64(single_block(input, CERTIFICATE)?.body)?.to_vec()
    } else if input.first() == Some(&0x30) {
        input.to_vec()
    } else {
        decode_base64(input)?.to_vec()
    };
    check_sequence(&der)?;
    Ok(der)
}

/// All certificates of a PEM bundle (blocks with other labels are skipped), or the single
/// certificate of a DER/base64 input.
///
/// # Errors
/// As [`certificate`]; `InvalidText` when a PEM input holds no `CERTIFICATE` block.
pub fn certificates(input: &[u8]) -> Result<Vec<Vec<u8>>, Pkcs12Error> {
    if !is_pem(input) {
        return certificate(input).map(|c| vec![c]);
    }
    let mut out = Vec::new();
    for block in blocks(input)? {
        if block.label == CERTIFICATE {
            let der = decode_base64(block.body)?.to_vec();
            check_sequence(&der)?;
            out.push(der);
        }
    }
    if out.is_empty() {
        return Err(invalid("no CERTIFICATE block"));
    }
    Ok(out)
}

/// PEM text (RFC 7468: 64-column base64, LF line ends) of `der` under `label`.
/// For private keys wrap the result in [`Zeroizing`] (see [`encode_private_key`]).
pub fn encode(label: &str, der: &[u8]) -> String {
    let b64 = Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(der));
    let mut out = String::with_capacity(b64.len() + b64.len() / 64 + 2 * label.len() + 40);
    out.push_str("-----BEGIN ");
    out.push_str(label);
    out.push_str("-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(core::str::from_utf8(line).unwrap_or_default());
        out.push('\n');
    }
    out.push_str("-----END ");
    out.push_str(label);
    out.push_str("-----\n");
    out
}

/// PEM `PRIVATE KEY` text of a PKCS#8 key, in a zeroizing buffer.
pub fn encode_private_key(pkcs8: &[u8]) -> Zeroizing<String> {
    Zeroizing::new(encode(PRIVATE_KEY, pkcs8))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DER: [u8; 5] = [0x30, 0x03, 0x02, 0x01, 0x05];

    #[test]
    fn certificate_forms() {
        let pem = encode("CERTIFICATE", &DER);
        assert_eq!(
            pem,
            "-----BEGIN CERTIFICATE-----\nMAMCAQU=\n-----END CERTIFICATE-----\n"
        );
        assert_eq!(certificate(pem.as_bytes()).unwrap(), DER);
        assert_eq!(
            certificate(pem.replace('\n', "\r\n").as_bytes()).unwrap(),
            DER
        );
        assert_eq!(certificate(b"  MAMC\r\nAQU=\n").unwrap(), DER);
        assert_eq!(certificate(&DER).unwrap(), DER);
        let two = format!("junk\n{pem}{}{pem}", encode("X", &DER));
        assert_eq!(certificates(two.as_bytes()).unwrap().len(), 2);
    }

    #[test]
    fn errors_are_typed() {
        let key = encode("RSA PRIVATE KEY", &DER);
        assert_eq!(
            private_key_pkcs8(key.as_bytes()).unwrap_err(),
            Pkcs12Error::PemLabel {
                found: "RSA PRIVATE KEY".into(),
                expected: "PRIVATE KEY"
            }
        );
        assert_eq!(
            certificate(b"MAMC!!AQU=").unwrap_err(),
            Pkcs12Error::InvalidText {
                what: "not valid base64"
            }
        );
        assert!(matches!(
            certificate(b"-----BEGIN CERTIFICATE-----\nMAMC"),
            Err(Pkcs12Error::InvalidText { .. })
        ));
        // Base64 of a truncated SEQUENCE.
        assert!(matches!(
            certificate(b"MAMCAQ=="),
            Err(Pkcs12Error::Malformed { .. })
        ));
        assert!(matches!(
            certificate(b"-----BEGIN CERTIFICATE-----\nProc-Type: 4,ENCRYPTED\n\nMAMCAQU=\n-----END CERTIFICATE-----\n"),
            Err(Pkcs12Error::InvalidText { .. })
        ));
    }

    #[test]
    fn private_key_pem_round_trip() {
        let pem = encode_private_key(&DER);
        assert_eq!(private_key_pkcs8(pem.as_bytes()).unwrap().as_slice(), DER);
        assert_eq!(private_key_pkcs8(&DER).unwrap().as_slice(), DER);
    }
}
