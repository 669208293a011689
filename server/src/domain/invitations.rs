//! Invitations to organizations, by link or e-mail.
