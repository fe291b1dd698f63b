//! Curve parameter sets.
//!
//! Values: RFC 7836 (tc26 512 paramSetA and 256 paramSetA, the latter in the Weierstrass form
//! of a twisted Edwards curve, cofactor 4), RFC 4357 (CryptoPro-A), cross-checked against the
//! OpenSSL gost engine's `gost_params.c`; the 512-bit set is also the one spelled out in
//! `GOST-WORKED-EXAMPLE.txt`. The test curves of GOST R 34.10-2012 Appendix A (= RFC 7091 §7)
//! are used by the unit tests only.

use std::sync::OnceLock;

use crypto_bigint::{Limb, NonZero, U256, U512};

use super::curve::Curve;
use super::field::Field;

const P512: U512 = U512::from_be_hex(concat!(
    "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
    "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFDC7"
));
const Q512A: U512 = U512::from_be_hex(concat!(
    "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
    "27E69532F48D89116FF22B8D4E0560609B4B38ABFAD2B85DCACDB1411F10B275"
));

/// id-tc26-gost-3410-12-512-paramSetA (NCA 1.2.398.3.10.1.1.2.2.1): p = 2^512 − 569, a = −3.
pub(crate) static TC26_512_A: Curve<8, true> = Curve {
    name: "id-tc26-gost-3410-12-512-paramSetA",
    field: Field::new(P512, Limb(569)),
    a: U512::from_be_hex(concat!(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFDC4"
    )),
    b: U512::from_be_hex(concat!(
        "E8C2505DEDFC86DDC1BD0B2B6667F1DA34B82574761CB0E879BD081CFD0B6265",
        "EE3CB090F30D27614CB4574010DA90DD862EF9D4EBEE4761503190785A71C760"
    )),
    a_is_minus_3: true,
    q: Q512A,
    q_nz: NonZero::<U512>::new_unwrap(Q512A),
    gx: U512::from_u64(3),
    gy: U512::from_be_hex(concat!(
        "7503CFE87A836AE3A61B8816E25450E6CE5E1C93ACF1ABC1778064FDCBEFA921",
        "DF1626BE4FD036E93D75E6A50E3A41E98028FE5FC235F5B889A589CB5215F2A4"
    )),
    cofactor: 1,
    comb: OnceLock::new(),
    g_odd: OnceLock::new(),
};

const P256: U256 =
    U256::from_be_hex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFD97");
const Q256A: U256 =
    U256::from_be_hex("400000000000000000000000000000000FD8CDDFC87B6635C115AF556C360C67");
const QCPA: U256 =
    U256::from_be_hex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF6C611070995AD10045841B09B761B893");

/// id-tc26-gost-3410-12-256-paramSetA (NCA 1.2.398.3.10.1.1.2.1.1): p = 2^256 − 617,
/// cofactor 4.
pub(crate) static TC26_256_A: Curve<4, true> = Curve {
    name: "id-tc26-gost-3410-12-256-paramSetA",
    field: Field::new(P256, Limb(617)),
    a: U256::from_be_hex("C2173F1513981673AF4892C23035A27CE25E2013BF95AA33B22C656F277E7335"),
    b: U256::from_be_hex("295F9BAE7428ED9CCC20E7C359A9D41A22FCCD9108E17BF7BA9337A6F8AE9513"),
    a_is_minus_3: false,
    q: Q256A,
    q_nz: NonZero::<U256>::new_unwrap(Q256A),
    gx: U256::from_be_hex("91E38443A5E82C0D880923425712B2BB658B9196932E02C78B2582FE742DAA28"),
    gy: U256::from_be_hex("32879423AB1A0375895786C4BB46E9565FDE0B5344766740AF268ADB32322E5C"),
    cofactor: 4,
    comb: OnceLock::new(),
    g_odd: OnceLock::new(),
};

/// id-GostR3410-2001-CryptoPro-A-ParamSet (NCA 1.2.398.3.10.1.1.1.1.1): p = 2^256 − 617,
/// a = −3, b = 166.
pub(crate) static CRYPTOPRO_A: Curve<4, true> = Curve {
    name: "id-GostR3410-2001-CryptoPro-A-ParamSet",
    field: Field::new(P256, Limb(617)),
    a: U256::from_be_hex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFD94"),
    b: U256::from_u64(166),
    a_is_minus_3: true,
    q: QCPA,
    q_nz: NonZero::<U256>::new_unwrap(QCPA),
    gx: U256::ONE,
    gy: U256::from_be_hex("8D91E471E0989CDA27DF505A453F2B7635294F2DDF23E3B122ACC99C9E9F1E14"),
    cofactor: 1,
    comb: OnceLock::new(),
    g_odd: OnceLock::new(),
};

#[cfg(test)]
const PT256: U256 =
    U256::from_be_hex("8000000000000000000000000000000000000000000000000000000000000431");
#[cfg(test)]
const QT256: U256 =
    U256::from_be_hex("8000000000000000000000000000000150FE8A1892976154C59CFC193ACCF5B3");

/// GOST R 34.10-2012 Appendix A.1 (RFC 7091 §7.1) example curve (also
/// id-GostR3410-2001-TestParamSet).
#[cfg(test)]
pub(crate) static TEST_256: Curve<4, false> = Curve {
    name: "GOST R 34.10-2012 A.1 test curve",
    field: Field::new(PT256, Limb::ZERO),
    a: U256::from_u64(7),
    b: U256::from_be_hex("5FBFF498AA938CE739B8E022FBAFEF40563F6E6A3472FC2A514C0CE9DAE23B7E"),
    a_is_minus_3: false,
    q: QT256,
    q_nz: NonZero::<U256>::new_unwrap(QT256),
    gx: U256::from_u64(2),
    gy: U256::from_be_hex("08E2A8A0E65147D4BD6316030E16D19C85C97F0A9CA267122B96ABBCEA7E8FC8"),
    cofactor: 1,
    comb: OnceLock::new(),
    g_odd: OnceLock::new(),
};

#[cfg(test)]
const PT512: U512 = U512::from_be_hex(concat!(
    "4531ACD1FE0023C7550D267B6B2FEE80922B14B2FFB90F04D4EB7C09B5D2D15D",
    "F1D852741AF4704A0458047E80E4546D35B8336FAC224DD81664BBF528BE6373"
));
#[cfg(test)]
const QT512: U512 = U512::from_be_hex(concat!(
    "4531ACD1FE0023C7550D267B6B2FEE80922B14B2FFB90F04D4EB7C09B5D2D15D",
    "A82F2D7ECB1DBAC719905C5EECC423F1D86E25EDBE23C595D644AAF187E6E6DF"
));

/// GOST R 34.10-2012 Appendix A.2 (RFC 7091 §7.2) example curve.
#[cfg(test)]
pub(crate) static TEST_512: Curve<8, false> = Curve {
    name: "GOST R 34.10-2012 A.2 test curve",
    field: Field::new(PT512, Limb::ZERO),
    a: U512::from_u64(7),
    b: U512::from_be_hex(concat!(
        "1CFF0806A31116DA29D8CFA54E57EB748BC5F377E49400FDD788B649ECA1AC43",
        "61834013B2AD7322480A89CA58E0CF74BC9E540C2ADD6897FAD0A3084F302ADC"
    )),
    a_is_minus_3: false,
    q: QT512,
    q_nz: NonZero::<U512>::new_unwrap(QT512),
    gx: U512::from_be_hex(concat!(
        "24D19CC64572EE30F396BF6EBBFD7A6C5213B3B3D7057CC825F91093A68CD762",
        "FD60611262CD838DC6B60AA7EEE804E28BC849977FAC33B4B530F1B120248A9A"
    )),
    gy: U512::from_be_hex(concat!(
        "2BB312A43BD2CE6E0D020613C857ACDDCFBF061E91E5F2C3F32447C259F39B2C",
        "83AB156D77F1496BF7EB3351E1EE4E43DC1A18B91B24640B6DBB92CB1ADD371E"
    )),
    cofactor: 1,
    comb: OnceLock::new(),
    g_odd: OnceLock::new(),
};
