//! Registration modes, instance invitations and password resets.
