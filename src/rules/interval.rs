//! Interval arithmetic over [`Decimal`], the basis of rounding tolerance.
//!
//! Every printed figure is a rounded value: `52,686` printed in thousands
//! stands for any amount in `[52,685,500, 52,686,500]`. An identity between
//! printed figures is consistent when the intervals of its two sides can
//! agree (DOMAIN.md §4). Intervals here are closed, which is the permissive
//! reading: a value exactly on a rounding boundary may have rounded either way.
//!
//! **Invariant:** nothing in this module panics. Every operation that can
//! overflow `Decimal` uses checked arithmetic and returns `None`, except
//! [`Interval::from_printed`], [`Interval::width`] and [`Interval::mid`],
//! which saturate.

use rust_decimal::Decimal;

/// A closed interval `[lo, hi]` with `lo <= hi`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Interval {
    pub lo: Decimal,
    pub hi: Decimal,
}

/// The largest number of decimals a `Decimal` can represent.
const MAX_SCALE: u32 = 28;

// The operations are named like the `std::ops` traits on purpose but return
// `Option`: they are checked, and an operator that can fail would hide that.
#[allow(clippy::should_implement_trait)]
impl Interval {
    /// The interval a printed, rounded figure stands for, in units.
    ///
    /// `value` is the printed number (no scale applied), `decimals` the
    /// digits printed after the decimal point and `scale_factor` the table's
    /// multiplier (1, 1,000, ...). `52,686` in thousands with 0 decimals is
    /// `[52,685,500, 52,686,500]`; `0.03` with 2 decimals is `[0.025, 0.035]`.
    /// Saturates at the bounds of `Decimal` instead of overflowing.
    pub fn from_printed(value: Decimal, decimals: u32, scale_factor: Decimal) -> Interval {
        if let Some(i) = Self::from_printed_small(value, decimals, scale_factor) {
            return i;
        }
        let half_unit = Decimal::new(5, decimals.min(MAX_SCALE - 1) + 1);
        let centre = value.saturating_mul(scale_factor);
        let half = half_unit.saturating_mul(scale_factor.abs());
        Interval {
            lo: centre.saturating_sub(half),
            hi: centre.saturating_add(half),
        }
    }

    /// [`Interval::from_printed`] in integer arithmetic, for the figures of
    /// every table (well inside `Decimal`'s range, a whole positive scale):
    /// the same bounds, digits and scale alike, as `Decimal`'s operations
    /// give when nothing overflows (a proptest holds them equal). `None`
    /// when a figure is too large for it to be sure.
    fn from_printed_small(
        value: Decimal,
        decimals: u32,
        scale_factor: Decimal,
    ) -> Option<Interval> {
        const POW10: [u64; 20] = {
            let mut p = [1u64; 20];
            let mut k = 1;
            while k < 20 {
                p[k] = p[k - 1] * 10;
                k += 1;
            }
            p
        };
        if scale_factor.scale() != 0 || scale_factor.is_sign_negative() || scale_factor.is_zero() {
            return None;
        }
        let factor = u64::try_from(scale_factor.mantissa()).ok()?;
        // The half unit is 5 at scale `half_scale`; both bounds are written
        // at the larger of the two scales, as addition aligns them, except
        // that adding to zero gives the other term as it is.
        let half_scale = decimals.min(MAX_SCALE - 1) + 1;
        let (scale, centre) = if value.is_zero() {
            (half_scale, 0i128)
        } else {
            let scale = value.scale().max(half_scale);
            // |mantissa| < 2^63 and factor × 10^k < 2^31: the centre is
            // below 2^94, exact in i128 and in `Decimal`'s 96 bits.
            let m = i64::try_from(value.mantissa()).ok()?;
            let f = factor.checked_mul(*POW10.get((scale - value.scale()) as usize)?)?;
            if f >= 1 << 31 {
                return None;
            }
            (scale, i128::from(m) * i128::from(f))
        };
        // Below 2^63: each bound stays below 2^95.
        let half = factor
            .checked_mul(5)?
            .checked_mul(*POW10.get((scale - half_scale) as usize)?)?;
        let half = i128::from(i64::try_from(half).ok()?);
        let bound = |x: i128| {
            let magnitude = x.unsigned_abs();
            Decimal::from_parts(
                magnitude as u32,
                (magnitude >> 32) as u32,
                (magnitude >> 64) as u32,
                x < 0,
                scale,
            )
        };
        Some(Interval {
            lo: bound(centre - half),
            hi: bound(centre + half),
        })
    }

    /// The degenerate interval `[v, v]` of an exact value.
    pub const fn exact(v: Decimal) -> Interval {
        Interval { lo: v, hi: v }
    }

    /// The interval between two bounds given in either order.
    pub fn new(a: Decimal, b: Decimal) -> Interval {
        if a <= b {
            Interval { lo: a, hi: b }
        } else {
            Interval { lo: b, hi: a }
        }
    }

    pub fn add(self, other: Interval) -> Option<Interval> {
        Some(Interval {
            lo: self.lo.checked_add(other.lo)?,
            hi: self.hi.checked_add(other.hi)?,
        })
    }

    pub fn sub(self, other: Interval) -> Option<Interval> {
        Some(Interval {
            lo: self.lo.checked_sub(other.hi)?,
            hi: self.hi.checked_sub(other.lo)?,
        })
    }

    pub fn neg(self) -> Interval {
        Interval {
            lo: -self.hi,
            hi: -self.lo,
        }
    }

    /// The absolute value: `|[-3, 2]|` is `[0, 3]`.
    pub fn abs(self) -> Interval {
        if self.lo >= Decimal::ZERO {
            self
        } else if self.hi <= Decimal::ZERO {
            self.neg()
        } else {
            Interval {
                lo: Decimal::ZERO,
                hi: self.hi.max(-self.lo),
            }
        }
    }

    pub fn mul(self, other: Interval) -> Option<Interval> {
        let products = [
            self.lo.checked_mul(other.lo)?,
            self.lo.checked_mul(other.hi)?,
            self.hi.checked_mul(other.lo)?,
            self.hi.checked_mul(other.hi)?,
        ];
        Some(hull(products))
    }

    /// `None` when `other` contains zero (the quotient is unbounded) or on
    /// overflow.
    ///
    /// Two divisions, not the four of every pair of ends: with the divisor's
    /// sign fixed, a quotient moves one way with its dividend and one way
    /// with its divisor (Decimal's rounded division too), so the ends of the
    /// result are known beforehand. The one giving the largest magnitude is
    /// always among the two, so an overflow is still found.
    pub fn div(self, other: Interval) -> Option<Interval> {
        if other.contains(Decimal::ZERO) {
            return None;
        }
        // `x` over the divisor end its sign picks.
        let over = |x: Decimal, if_not_negative: Decimal, if_negative: Decimal| {
            x.checked_div(if x >= Decimal::ZERO {
                if_not_negative
            } else {
                if_negative
            })
        };
        let (lo, hi) = if other.lo > Decimal::ZERO {
            (
                over(self.lo, other.hi, other.lo)?,
                over(self.hi, other.lo, other.hi)?,
            )
        } else {
            (
                over(self.hi, other.hi, other.lo)?,
                over(self.lo, other.lo, other.hi)?,
            )
        };
        Some(Interval { lo, hi })
    }

    pub fn contains(self, v: Decimal) -> bool {
        self.lo <= v && v <= self.hi
    }

    /// Whether some value lies in both intervals.
    pub fn intersects(self, other: Interval) -> bool {
        self.lo <= other.hi && other.lo <= self.hi
    }

    /// The midpoint, computed without overflow.
    pub fn mid(self) -> Decimal {
        let two = Decimal::TWO;
        match self.lo.checked_add(self.hi) {
            Some(sum) => sum / two,
            None => self.lo / two + self.hi / two,
        }
    }

    /// `hi - lo`, saturating at `Decimal::MAX`.
    pub fn width(self) -> Decimal {
        self.hi.saturating_sub(self.lo)
    }
}

fn hull(values: [Decimal; 4]) -> Interval {
    let mut lo = values[0];
    let mut hi = values[0];
    for v in values {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    Interval { lo, hi }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn thousands(v: &str) -> Interval {
        Interval::from_printed(d(v), 0, Decimal::from(1000))
    }

    #[test]
    fn printed_thousands_cover_half_a_unit_each_side() {
        let i = thousands("52686");
        assert_eq!(i.lo, d("52685500"));
        assert_eq!(i.hi, d("52686500"));
        assert_eq!(i.width(), d("1000"));
        assert_eq!(i.mid(), d("52686000"));
    }

    #[test]
    fn printed_per_share_uses_its_decimals() {
        let i = Interval::from_printed(d("0.03"), 2, Decimal::ONE);
        assert_eq!(i, Interval::new(d("0.025"), d("0.035")));
        let neg = Interval::from_printed(d("-0.12"), 2, Decimal::ONE);
        assert_eq!(neg, Interval::new(d("-0.125"), d("-0.115")));
    }

    /// DOMAIN.md §3, seed 000, March 31 2006: the current assets foot.
    #[test]
    fn seed_000_current_assets_foot() {
        let sum = ["71452", "37452", "55879", "4713"]
            .iter()
            .map(|v| thousands(v))
            .try_fold(Interval::exact(Decimal::ZERO), |acc, i| acc.add(i))
            .unwrap();
        assert!(sum.intersects(thousands("169496")));
        assert!(!sum.intersects(thousands("169506")));
    }

    /// A sum of 4 rounded terms may sit up to 4/2 units off the printed sum.
    #[test]
    fn sum_of_four_rounded_terms_is_within_n_over_two() {
        let terms: Vec<Interval> = ["1", "2", "3", "4"]
            .iter()
            .map(|v| Interval::from_printed(d(v), 0, Decimal::ONE))
            .collect();
        let sum = terms
            .iter()
            .try_fold(Interval::exact(Decimal::ZERO), |acc, i| acc.add(*i))
            .unwrap();
        assert_eq!(sum, Interval::new(d("8"), d("12")));
        // The printed sum is 10; a printed total of 12 is consistent (2 units
        // off, n/2 for n = 4), 14 is not.
        assert!(sum.intersects(Interval::from_printed(d("12"), 0, Decimal::ONE)));
        assert!(!sum.intersects(Interval::from_printed(d("14"), 0, Decimal::ONE)));
    }

    /// DOMAIN.md §3, seed 001: -1,894 / 15,210 prints as (0.12).
    #[test]
    fn seed_001_eps_interval_contains_printed_value() {
        let eps = thousands("-1894").div(thousands("15210")).unwrap();
        assert!(eps.lo < d("-0.1245") && eps.hi > d("-0.1245"));
        assert!(eps.intersects(Interval::from_printed(d("-0.12"), 2, Decimal::ONE)));
        assert!(!eps.intersects(Interval::from_printed(d("-0.13"), 2, Decimal::ONE)));
    }

    #[test]
    fn division_by_an_interval_containing_zero_is_none() {
        let zero = Interval::from_printed(Decimal::ZERO, 0, Decimal::ONE);
        assert_eq!(Interval::exact(Decimal::ONE).div(zero), None);
        assert_eq!(
            Interval::exact(Decimal::ONE).div(Interval::exact(Decimal::ZERO)),
            None
        );
    }

    /// The hull of the four quotients of the ends, as `div` computed it
    /// before it picked its two.
    fn div_by_hull(a: Interval, b: Interval) -> Option<Interval> {
        if b.contains(Decimal::ZERO) {
            return None;
        }
        Some(hull([
            a.lo.checked_div(b.lo)?,
            a.lo.checked_div(b.hi)?,
            a.hi.checked_div(b.lo)?,
            a.hi.checked_div(b.hi)?,
        ]))
    }

    fn decimal() -> impl proptest::strategy::Strategy<Value = Decimal> {
        use proptest::prelude::*;
        prop_oneof![
            (any::<i64>(), 0u32..=28).prop_map(|(m, s)| Decimal::new(m, s)),
            (-1_000_000i64..1_000_000, 0u32..=6).prop_map(|(m, s)| Decimal::new(m, s)),
            (
                any::<u32>(),
                any::<u32>(),
                any::<u32>(),
                any::<bool>(),
                0u32..=28
            )
                .prop_map(|(l, m, h, neg, s)| Decimal::from_parts(l, m, h, neg, s)),
        ]
    }

    /// Table scales (1, 10, ..., 10^12), and odd ones: any integer, and
    /// one with decimals (never a table's).
    fn factor() -> impl proptest::strategy::Strategy<Value = Decimal> {
        use proptest::prelude::*;
        prop_oneof![
            Just(Decimal::ONE),
            (0u32..=12).prop_map(|k| Decimal::from(10i64.pow(k))),
            any::<i64>().prop_map(Decimal::from),
            any::<u32>().prop_map(|m| Decimal::new(i64::from(m), 2)),
        ]
    }

    proptest::proptest! {
        /// In units, the interval is the one the multiplication by one gave,
        /// scale included.
        #[test]
        fn printed_in_units_is_multiplied_by_one(v in decimal(), d in 0u32..40) {
            let half = Decimal::new(5, d.min(MAX_SCALE - 1) + 1);
            let by_one = Interval {
                lo: v.saturating_mul(Decimal::ONE).saturating_sub(half.saturating_mul(Decimal::ONE)),
                hi: v.saturating_mul(Decimal::ONE).saturating_add(half.saturating_mul(Decimal::ONE)),
            };
            let got = Interval::from_printed(v, d, Decimal::ONE);
            proptest::prop_assert_eq!(
                (got.lo.to_string(), got.hi.to_string()),
                (by_one.lo.to_string(), by_one.hi.to_string())
            );
        }

        /// Integer arithmetic gives the bounds `Decimal`'s operations give,
        /// digits and scale alike, whenever it answers; and it answers for
        /// the figures of a table.
        #[test]
        fn printed_small_matches_decimal_arithmetic(
            v in decimal(),
            small in (-10_000_000_000i64..10_000_000_000, 0u32..=8),
            d in 0u32..40,
            f in factor(),
        ) {
            use proptest::prelude::*;
            let slow = |v: Decimal, d: u32, f: Decimal| {
                let half = Decimal::new(5, d.min(MAX_SCALE - 1) + 1);
                Interval {
                    lo: v.saturating_mul(f).saturating_sub(half.saturating_mul(f.abs())),
                    hi: v.saturating_mul(f).saturating_add(half.saturating_mul(f.abs())),
                }
            };
            let show = |i: Interval| {
                (i.lo.mantissa(), i.lo.scale(), i.hi.mantissa(), i.hi.scale())
            };
            let zero = |neg, s| Decimal::from_parts(0, 0, 0, neg, s);
            let zeros = [zero(false, small.1), zero(true, small.1), zero(false, d.min(28))];
            for v in [v, Decimal::new(small.0, small.1)].into_iter().chain(zeros) {
                if let Some(fast) = Interval::from_printed_small(v, d, f) {
                    prop_assert_eq!(show(fast), show(slow(v, d, f)));
                }
                prop_assert_eq!(show(Interval::from_printed(v, d, f)), show(slow(v, d, f)));
            }
            let table = Decimal::new(small.0, small.1);
            let thousands = Decimal::from(1000);
            prop_assert!(Interval::from_printed_small(table, small.1.min(6), thousands).is_some());
        }

        #[test]
        fn div_picks_the_ends_of_the_four_quotients(
            a in decimal(), b in decimal(), c in decimal(), d in decimal()
        ) {
            let x = Interval::new(a.min(b), a.max(b));
            let y = Interval::new(c.min(d), c.max(d));
            // Equal as printed too (scale included), not only as numbers.
            let show = |i: Option<Interval>| i.map(|i| (i.lo.to_string(), i.hi.to_string()));
            proptest::prop_assert_eq!(show(x.div(y)), show(div_by_hull(x, y)));
        }
    }

    #[test]
    fn div_matches_the_hull_at_signs_and_extremes() {
        let ends = [
            Decimal::MIN,
            d("-52686500"),
            d("-0.125"),
            Decimal::ZERO,
            d("0.000000000000000000000000001"),
            d("0.035"),
            d("15210500"),
            Decimal::MAX,
        ];
        for &a in &ends {
            for &b in ends.iter().filter(|&&b| b >= a) {
                for &c in &ends {
                    for &e in ends.iter().filter(|&&e| e >= c) {
                        let (x, y) = (Interval::new(a, b), Interval::new(c, e));
                        let show =
                            |i: Option<Interval>| i.map(|i| (i.lo.to_string(), i.hi.to_string()));
                        assert_eq!(show(x.div(y)), show(div_by_hull(x, y)), "{x:?} / {y:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn mul_takes_the_hull_of_sign_combinations() {
        let a = Interval::new(d("-2"), d("3"));
        let b = Interval::new(d("-5"), d("4"));
        assert_eq!(a.mul(b).unwrap(), Interval::new(d("-15"), d("12")));
        assert_eq!(a.neg(), Interval::new(d("-3"), d("2")));
        assert_eq!(a.abs(), Interval::new(d("0"), d("3")));
        assert_eq!(a.sub(b).unwrap(), Interval::new(d("-6"), d("8")));
    }

    #[test]
    fn overflow_returns_none_or_saturates() {
        let max = Interval::exact(Decimal::MAX);
        assert_eq!(max.add(max), None);
        assert_eq!(max.mul(max), None);
        assert_eq!(max.neg().sub(max), None);
        let wide = Interval::new(Decimal::MIN, Decimal::MAX);
        assert_eq!(wide.width(), Decimal::MAX);
        assert_eq!(wide.mid(), Decimal::ZERO);
        let huge = Interval::from_printed(Decimal::MAX, 0, Decimal::from(1000));
        assert_eq!(huge.hi, Decimal::MAX);
        let tiny = Interval::from_printed(Decimal::ONE, 40, Decimal::ONE);
        assert!(tiny.contains(Decimal::ONE));
    }
}
