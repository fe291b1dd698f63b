//! Drawing a QR payload: terminal, SVG and PNG.
//!
//! The payload text comes from `mgovsign-protocol`; this module only draws it. Every rendering keeps
//! the 4-module quiet zone that ISO/IEC 18004 requires, so phone cameras (and `zbarimg`) read it.

use qrcode::render::{svg, unicode};
use qrcode::{EcLevel, QrCode};

/// Pixels per QR module in PNG output: big enough for a phone camera on a screen.
const PNG_SCALE: usize = 8;
/// Quiet zone in modules around the symbol (ISO/IEC 18004 §6.3.8 asks for 4).
const QUIET_ZONE: usize = 4;

/// Why a QR code could not be drawn.
#[derive(Debug)]
pub(crate) enum QrError {
    /// The payload does not fit in any QR version at error-correction level M.
    TooLong(qrcode::types::QrError),
    /// PNG encoding failed (I/O into a memory buffer; practically unreachable).
    Png(png::EncodingError),
}

impl std::fmt::Display for QrError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::TooLong(e) => write!(f, "the payload does not fit in a QR code: {e}"),
            Self::Png(e) => write!(f, "PNG encoding failed: {e}"),
        }
    }
}

/// A QR symbol for one payload.
pub(crate) struct Symbol {
    code: QrCode,
}

impl Symbol {
    /// Encodes `payload` at error-correction level M (15 %), the usual choice for on-screen codes.
    pub(crate) fn new(payload: &str) -> Result<Self, QrError> {
        let code = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M)
            .map_err(QrError::TooLong)?;
        Ok(Self { code })
    }

    /// Text drawing with Unicode half blocks (two modules per character row), dark on light.
    pub(crate) fn to_terminal(&self) -> String {
        self.code
            .render::<unicode::Dense1x2>()
            .dark_color(unicode::Dense1x2::Light)
            .light_color(unicode::Dense1x2::Dark)
            .quiet_zone(true)
            .build()
    }

    /// An SVG document.
    pub(crate) fn to_svg(&self) -> String {
        self.code
            .render::<svg::Color<'_>>()
            .min_dimensions(256, 256)
            .quiet_zone(true)
            .build()
    }

    /// A greyscale PNG, `PNG_SCALE` pixels per module, with the quiet zone.
    pub(crate) fn to_png(&self) -> Result<Vec<u8>, QrError> {
        let width = self.code.width();
        let colors = self.code.to_colors();
        let side = (width + 2 * QUIET_ZONE) * PNG_SCALE;
        let mut pixels = vec![0xFF_u8; side * side];
        for (i, color) in colors.iter().enumerate() {
            if *color != qrcode::Color::Dark {
                continue;
            }
            let (mx, my) = (i % width + QUIET_ZONE, i / width + QUIET_ZONE);
            for dy in 0..PNG_SCALE {
                let row = (my * PNG_SCALE + dy) * side;
                let start = row + mx * PNG_SCALE;
                pixels[start..start + PNG_SCALE].fill(0);
            }
        }
        let side_u32 =
            u32::try_from(side).map_err(|_| QrError::Png(png::EncodingError::LimitsExceeded))?;
        let mut out = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut out, side_u32, side_u32);
            encoder.set_color(png::ColorType::Grayscale);
            encoder.set_depth(png::BitDepth::Eight);
            let mut writer = encoder.write_header().map_err(QrError::Png)?;
            writer.write_image_data(&pixels).map_err(QrError::Png)?;
            writer.finish().map_err(QrError::Png)?;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_has_quiet_zone_and_scale() {
        let s = Symbol::new("mobileSign:https://some.domen.kz").unwrap();
        let png = s.to_png().unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let reader = decoder.read_info().unwrap();
        let info = reader.info();
        assert_eq!(info.width, info.height);
        let modules = usize::try_from(info.width).unwrap() / PNG_SCALE;
        assert_eq!(modules, s.code.width() + 2 * QUIET_ZONE);
    }

    #[test]
    fn terminal_and_svg_draw_something() {
        let s = Symbol::new("mobileSign:https://some.domen.kz").unwrap();
        assert!(s.to_terminal().contains('█'));
        assert!(s.to_svg().starts_with("<?xml"));
    }
}
