//! [`TokenEpoch`]: what a PostgreSQL server may assume about stored tokens.
//!
//! Servers cache token lookups. A cached lookup may be used only while every change to a
//! stored token is known to reach this server: its notification listener is connected,
//! and a heartbeat it sent through the database came back recently (notifications
//! arrive in commit order, so a returned heartbeat proves that every token change
//! committed before it was sent has arrived too). Each token change, and each loss or
//! re-establishment of the listener's connection, moves the generation on; the
//! generation never goes back, so a lookup cached before an outage never matches again.

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// How often the listener sends a heartbeat through the database.
pub(crate) const HEARTBEAT_EVERY: Duration = Duration::from_millis(500);

/// How long after its heartbeat was sent a confirmation vouches for the cache: a token
/// revoked while the listener silently stopped receiving is refused within this time.
pub(crate) const FRESH_FOR: Duration = Duration::from_millis(1500);

/// Heartbeats remembered while waiting for them to come back.
const PENDING: usize = 16;

#[derive(Debug, Default)]
struct State {
    generation: u64,
    connected: bool,
    /// When the newest heartbeat that came back was sent.
    confirmed: Option<Instant>,
    /// Heartbeats sent and not yet back: (sequence number, when sent).
    pending: VecDeque<(u64, Instant)>,
    next_sequence: u64,
    /// The highest position the listener was notified of on this connection.
    notified: i64,
}

/// See the module documentation.
#[derive(Debug, Default)]
pub(crate) struct TokenEpoch {
    state: Mutex<State>,
}

impl TokenEpoch {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A stored token changed, or the listener's connection was lost (`connected` false)
    /// or (re-)established: forget what was confirmed and move the generation on.
    pub(crate) fn moved(&self, connected: bool) {
        let mut state = self.lock();
        state.generation += 1;
        state.connected = connected;
        if !connected {
            state.confirmed = None;
            state.pending.clear();
            state.notified = 0;
        }
    }

    /// A token change was notified: the generation moves on, the connection stands.
    pub(crate) fn token_changed(&self) {
        let mut state = self.lock();
        state.generation += 1;
    }

    /// Records a heartbeat about to be sent; returns its sequence number.
    pub(crate) fn heartbeat_sent(&self, at: Instant) -> u64 {
        let mut state = self.lock();
        let sequence = state.next_sequence;
        state.next_sequence += 1;
        if state.pending.len() == PENDING {
            state.pending.pop_front();
        }
        state.pending.push_back((sequence, at));
        sequence
    }

    /// A heartbeat of this process came back.
    pub(crate) fn heartbeat_received(&self, sequence: u64) {
        let mut state = self.lock();
        if !state.connected {
            return;
        }
        while let Some(&(seq, sent)) = state.pending.front() {
            if seq > sequence {
                break;
            }
            state.pending.pop_front();
            if seq == sequence {
                state.confirmed = Some(state.confirmed.map_or(sent, |c| c.max(sent)));
            }
        }
    }

    /// The listener was told of (or read) the log's head at `position`.
    pub(crate) fn notified(&self, position: i64) {
        let mut state = self.lock();
        state.notified = state.notified.max(position);
    }

    /// The generation under which token lookups may be cached at `now`, or `None` when
    /// nothing may be assumed.
    pub(crate) fn current(&self, now: Instant) -> Option<u64> {
        let state = self.lock();
        let fresh = state
            .confirmed
            .is_some_and(|sent| now.saturating_duration_since(sent) <= FRESH_FOR);
        (state.connected && fresh).then_some(state.generation)
    }

    /// [`TokenEpoch::current`], provided the listener has been notified of the log up to
    /// `position`: then every token change committed before that event has arrived.
    pub(crate) fn current_through(&self, position: i64, now: Instant) -> Option<u64> {
        let generation = self.current(now)?;
        (self.lock().notified >= position).then_some(generation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn confirmed(epoch: &TokenEpoch, at: Instant) {
        let sequence = epoch.heartbeat_sent(at);
        epoch.heartbeat_received(sequence);
    }

    #[test]
    fn nothing_is_assumed_before_a_heartbeat_comes_back() {
        let epoch = TokenEpoch::default();
        let now = Instant::now();
        assert_eq!(epoch.current(now), None);
        epoch.moved(true);
        assert_eq!(epoch.current(now), None);
        confirmed(&epoch, now);
        assert_eq!(epoch.current(now), Some(1));
    }

    #[test]
    fn the_generation_never_repeats_across_reconnections() {
        let epoch = TokenEpoch::default();
        let now = Instant::now();
        epoch.moved(true);
        confirmed(&epoch, now);
        let before = epoch.current(now).expect("confirmed");
        epoch.token_changed();
        epoch.moved(false);
        assert_eq!(epoch.current(now), None);
        epoch.moved(true);
        confirmed(&epoch, now);
        let after = epoch.current(now).expect("confirmed again");
        assert!(after > before + 1, "{before} then {after}");
    }

    #[test]
    fn a_confirmation_goes_stale() {
        let epoch = TokenEpoch::default();
        let sent = Instant::now();
        epoch.moved(true);
        confirmed(&epoch, sent);
        assert!(epoch.current(sent + FRESH_FOR).is_some());
        assert_eq!(
            epoch.current(sent + FRESH_FOR + Duration::from_millis(1)),
            None
        );
    }

    #[test]
    fn an_unknown_or_older_heartbeat_confirms_nothing_new() {
        let epoch = TokenEpoch::default();
        let start = Instant::now();
        epoch.moved(true);
        let first = epoch.heartbeat_sent(start);
        let second = epoch.heartbeat_sent(start + Duration::from_secs(5));
        epoch.heartbeat_received(second + 7);
        // Both were passed over: unknown sequence numbers confirm nothing.
        assert_eq!(epoch.current(start), None);
        epoch.heartbeat_received(first);
        assert_eq!(epoch.current(start), None);
    }

    #[test]
    fn through_needs_the_position_notified() {
        let epoch = TokenEpoch::default();
        let now = Instant::now();
        epoch.moved(true);
        confirmed(&epoch, now);
        epoch.notified(10);
        assert!(epoch.current_through(10, now).is_some());
        assert_eq!(epoch.current_through(11, now), None);
    }
}
