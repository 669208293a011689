//! Instance invitations, registration requests and password resets.
