//! [`DedupWindow`]: the events delivered lately, so a vendor's resend of one is answered but
//! not delivered twice. Bounded both ways: keys older than the window are forgotten, and past
//! the capacity the oldest key goes first.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use super::delivery::DedupKey;

/// Recently delivered keys, oldest first.
#[derive(Debug)]
pub(crate) struct DedupWindow {
    window: Duration,
    capacity: usize,
    /// When each key was delivered.
    seen: HashMap<DedupKey, Instant>,
    /// Keys in delivery order, for eviction.
    order: VecDeque<(DedupKey, Instant)>,
}

impl DedupWindow {
    pub(crate) fn new(window: Duration, capacity: usize) -> Self {
        DedupWindow {
            window,
            capacity: capacity.max(1),
            seen: HashMap::new(),
            order: VecDeque::new(),
        }
    }

    /// Whether `key` was delivered within the window before `now`.
    pub(crate) fn contains(&mut self, key: &DedupKey, now: Instant) -> bool {
        self.expire(now);
        self.seen.contains_key(key)
    }

    /// Records `key` as delivered at `now`, evicting the oldest key when full.
    pub(crate) fn insert(&mut self, key: DedupKey, now: Instant) {
        self.expire(now);
        while self.seen.len() >= self.capacity {
            let Some((oldest, _)) = self.order.pop_front() else {
                break;
            };
            self.seen.remove(&oldest);
        }
        self.seen.insert(key.clone(), now);
        self.order.push_back((key, now));
    }

    fn expire(&mut self, now: Instant) {
        while let Some((key, at)) = self.order.front() {
            if now.saturating_duration_since(*at) < self.window {
                break;
            }
            self.seen.remove(key);
            self.order.pop_front();
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.seen.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::receive::Delivery;

    fn key(id: u32) -> DedupKey {
        Delivery::dingtalk(format!(r#"{{"EventType":"x","eventId":"{id}"}}"#))
            .unwrap()
            .dedup_key()
            .clone()
    }

    #[test]
    fn forgets_after_the_window() {
        let start = Instant::now();
        let mut window = DedupWindow::new(Duration::from_secs(60), 10);
        window.insert(key(1), start);
        assert!(window.contains(&key(1), start + Duration::from_secs(59)));
        assert!(!window.contains(&key(2), start + Duration::from_secs(59)));
        assert!(!window.contains(&key(1), start + Duration::from_secs(60)));
        assert_eq!(window.len(), 0);
    }

    #[test]
    fn evicts_the_oldest_past_capacity() {
        let now = Instant::now();
        let mut window = DedupWindow::new(Duration::from_secs(60), 3);
        for id in 0..10 {
            window.insert(key(id), now);
            assert!(window.len() <= 3);
        }
        assert!(!window.contains(&key(6), now));
        assert!((7..10).all(|id| window.contains(&key(id), now)));
    }
}
