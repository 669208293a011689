//! Invitations to organizations.
