//! The few statistics the benchmark prints: medians, spreads and a geometric mean.

use std::time::Duration;

/// (max - min) / median: how far apart the fastest and slowest runs were.
pub fn spread(samples: &[Duration]) -> Option<f64> {
    let median = median(samples)?.as_secs_f64();
    let min = samples.iter().min()?.as_secs_f64();
    let max = samples.iter().max()?.as_secs_f64();
    (median > 0.0).then(|| (max - min) / median)
}

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
    fn spread_is_the_range_over_the_median() {
        let spread = spread(&ms(&[90, 100, 110])).unwrap();
        assert!((spread - 0.2).abs() < 1e-12, "{spread}");
        assert_eq!(super::spread(&[]), None);
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
