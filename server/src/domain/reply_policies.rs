//! Who may reply: GoToSocial's `interactionPolicy` on our objects, and `Reject` for replies that arrive anyway.
