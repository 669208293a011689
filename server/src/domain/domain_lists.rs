//! Subscriptions to other instances' published domain lists, refreshed on a schedule, with per-entry overrides; our own list, signed by the instance actor.
