//! The few statistics the benchmark prints: medians and a geometric mean.

use std::time::Duration;

/// The median of `samples` (the mean of the middle two for an even count);
/// `None` when there are none.
pub fn median(samples: &[Duration]) -> Option<Duration> {
    if samples.is_empty() {
        return None;
    }
    let mut sorted = samples.to_vec();
    sorted.sort();
    let mid = sorted.len() / 2;
    Some(if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        (sorted[mid - 1] + sorted[mid]) / 2
    })
}

/// The geometric mean of positive ratios; `None` when there are none.
pub fn geometric_mean(ratios: &[f64]) -> Option<f64> {
    if ratios.is_empty() {
        return None;
    }
    let log_sum: f64 = ratios.iter().map(|r| r.ln()).sum();
    Some((log_sum / ratios.len() as f64).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(values: &[u64]) -> Vec<Duration> {
        values.iter().map(|&v| Duration::from_millis(v)).collect()
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&ms(&[30, 10, 20])), Some(Duration::from_millis(20)));
        assert_eq!(
            median(&ms(&[40, 10, 20, 30])),
            Some(Duration::from_millis(25))
        );
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn geometric_mean_of_reciprocal_ratios_is_one() {
        let mean = geometric_mean(&[2.0, 0.5, 4.0, 0.25]).unwrap();
        assert!((mean - 1.0).abs() < 1e-12, "{mean}");
        let mean = geometric_mean(&[2.0, 8.0]).unwrap();
        assert!((mean - 4.0).abs() < 1e-12, "{mean}");
        assert_eq!(geometric_mean(&[]), None);
    }
}
