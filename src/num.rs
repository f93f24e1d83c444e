//! Numbers for SVG and CSS attributes and short labels, formatted with integer
//! arithmetic, and the two trigonometric functions the charts need.
//!
//! Why: any `{}` of an `f32`/`f64` links core's float formatting (Grisu with its Dragon
//! fallback, about 15 KB of wasm), and `f64::sin`/`cos` link libm's argument reduction
//! (about 6 KB). The widget ships to every host page; two decimals is all an SVG path
//! needs, and the browser already has `Math.sin`.

use std::fmt;

/// `x` with at most `decimals` (0–3) decimals, trailing zeros dropped: `12.5`, `-3`,
/// `0.07`. Not finite or beyond ±10¹⁵ prints `0` (never happens for chart geometry).
pub fn fixed(x: f64, decimals: u32) -> Fixed {
    let decimals = decimals.min(3);
    let scale = 10i64.pow(decimals);
    let scaled = x * scale as f64;
    let n = if scaled.is_finite() && scaled.abs() < 1e15 { scaled.round() as i64 } else { 0 };
    Fixed { n, decimals }
}

/// A number scaled to an integer, printed as a decimal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fixed {
    n: i64,
    decimals: u32,
}

impl fmt::Display for Fixed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scale = 10i64.pow(self.decimals);
        let (int, mut frac) = (self.n.unsigned_abs() / scale as u64, self.n.unsigned_abs() % scale as u64);
        if self.n < 0 && (int, frac) != (0, 0) {
            f.write_str("-")?;
        }
        write!(f, "{int}")?;
        if frac == 0 {
            return Ok(());
        }
        let mut digits = self.decimals as usize;
        while frac % 10 == 0 {
            frac /= 10;
            digits -= 1;
        }
        write!(f, ".{frac:0digits$}")
    }
}

/// `(cos x, sin x)`: the browser's `Math` in wasm, std natively (tests).
pub fn cos_sin(x: f64) -> (f64, f64) {
    #[cfg(target_arch = "wasm32")]
    {
        (js_sys::Math::cos(x), js_sys::Math::sin(x))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        (x.cos(), x.sin())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_like_float_formatting_without_it() {
        let cases = [
            (12.5, 2, "12.5"),
            (-3.0, 2, "-3"),
            (0.07, 2, "0.07"),
            (-0.004, 2, "0"),
            (-0.25, 1, "-0.3"),
            (100.0, 0, "100"),
            (3.14159, 3, "3.142"),
            (f64::NAN, 2, "0"),
            (1.0e20, 2, "0"),
            (190.005, 2, "190.01"),
        ];
        for (x, d, want) in cases {
            assert_eq!(fixed(x, d).to_string(), want, "{x} with {d}");
        }
    }

    #[test]
    fn trig_matches_std() {
        let (c, s) = cos_sin(1.0);
        assert!((c - 1f64.cos()).abs() < 1e-12 && (s - 1f64.sin()).abs() < 1e-12);
    }
}
