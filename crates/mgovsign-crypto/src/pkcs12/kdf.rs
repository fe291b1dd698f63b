//! Password handling and the PKCS#12 key derivation function (RFC 7292 Appendix B.2).

use digest::Digest;
use digest::common::BlockSizeUser;
use zeroize::Zeroizing;

/// Purpose byte ("ID") of the PKCS#12 KDF, RFC 7292 Appendix B.3.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KdfPurpose {
    /// ID 1: key material for encryption/decryption.
    Key = 1,
    /// ID 2: initialisation vector.
    Iv = 2,
    /// ID 3: integrity (MAC) key.
    Mac = 3,
}

impl KdfPurpose {
    fn id(self) -> u8 {
        match self {
            KdfPurpose::Key => 1,
            KdfPurpose::Iv => 2,
            KdfPurpose::Mac => 3,
        }
    }
}

/// The password as RFC 7292 Appendix B.1 wants it for the PKCS#12 KDF: a BMPString
/// (UTF-16BE) followed by two zero octets.
///
/// Bytes that are valid UTF-8 are taken as UTF-8 (characters outside the BMP become surrogate
/// pairs, as OpenSSL does); other byte strings are taken as Latin-1, one code unit per byte (the
/// OpenSSL fallback). An empty password gives just `00 00`.
pub(crate) fn bmp_password(password: &[u8]) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(password.len() * 2 + 2));
    match core::str::from_utf8(password) {
        Ok(text) => {
            for unit in text.encode_utf16() {
                out.extend_from_slice(&unit.to_be_bytes());
            }
        }
        Err(_) => {
            for b in password {
                out.extend_from_slice(&[0, *b]);
            }
        }
    }
    out.extend_from_slice(&[0, 0]);
    out
}

/// Fills `v`-sized blocks with repetitions of `src` (Appendix B.2 steps 2 and 3).
fn stretch(src: &[u8], v: usize, out: &mut Vec<u8>) {
    if src.is_empty() {
        return;
    }
    let len = src.len().div_ceil(v) * v;
    out.extend(src.iter().cycle().take(len));
}

/// The PKCS#12 KDF (RFC 7292 Appendix B.2) with hash `D`.
///
/// `password` is the already encoded BMPString form (see [`bmp_password`]); `iterations` must
/// already have been checked against the caller's limit.
pub(crate) fn derive<D: Digest + BlockSizeUser>(
    password: &[u8],
    salt: &[u8],
    purpose: KdfPurpose,
    iterations: u32,
    out_len: usize,
) -> Zeroizing<Vec<u8>> {
    let u = <D as Digest>::output_size();
    let v = D::block_size();
    let diversifier = vec![purpose.id(); v];
    // Sized up front: growing a zeroizing Vec would leave copies of the password behind.
    let mut input = Zeroizing::new(Vec::with_capacity(
        salt.len().div_ceil(v) * v + password.len().div_ceil(v) * v,
    ));
    stretch(salt, v, &mut input);
    stretch(password, v, &mut input);

    let mut out = Zeroizing::new(Vec::with_capacity(out_len + u));
    while out.len() < out_len {
        let mut hasher = D::new();
        hasher.update(&diversifier);
        hasher.update(input.as_slice());
        let mut a = Zeroizing::new(hasher.finalize().to_vec());
        for _ in 1..iterations {
            let next = D::digest(a.as_slice());
            a.copy_from_slice(&next);
        }
        out.extend_from_slice(&a);
        if out.len() >= out_len {
            break;
        }
        // Step 6C: I_j = (I_j + B + 1) mod 2^(8v), with B = A repeated to v octets.
        let b: Zeroizing<Vec<u8>> = Zeroizing::new(a.iter().cycle().take(v).copied().collect());
        for block in input.chunks_mut(v) {
            let mut carry = 1u16;
            for (x, y) in block.iter_mut().rev().zip(b.iter().rev()) {
                let sum = u16::from(*x) + u16::from(*y) + carry;
                *x = sum.to_be_bytes()[1];
                carry = sum >> 8;
            }
        }
    }
    out.truncate(out_len);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn bmp_encoding() {
        assert_eq!(bmp_password(b"ab").as_slice(), &[0, b'a', 0, b'b', 0, 0]);
        assert_eq!(bmp_password(b"").as_slice(), &[0, 0]);
        assert_eq!(bmp_password("Ж".as_bytes()).as_slice(), &[0x04, 0x16, 0, 0]);
        assert_eq!(bmp_password(&[0xE9]).as_slice(), &[0, 0xE9, 0, 0]);
    }

    /// Values cross-checked with OpenSSL's `PKCS12_key_gen_uni` (the classic test vectors
    /// "smeg" / salt 0A58CF64530D823F, published with the BouncyCastle and OpenSSL test suites).
    #[test]
    fn known_answers_sha1() {
        let pw = bmp_password(b"smeg");
        let salt = [0x0A, 0x58, 0xCF, 0x64, 0x53, 0x0D, 0x82, 0x3F];
        let key = derive::<sha1::Sha1>(&pw, &salt, KdfPurpose::Key, 1, 24);
        assert_eq!(
            hex(&key),
            "8aaae6297b6cb04642ab5b077851284eb7128f1a2a7fbca3"
        );
        let iv = derive::<sha1::Sha1>(&pw, &salt, KdfPurpose::Iv, 1, 8);
        assert_eq!(hex(&iv), "79993dfe048d3b76");
    }
}
