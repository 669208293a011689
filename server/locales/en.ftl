# Revier's interface in English. Every text a page shows has a key here and in de.ftl
# (the unit test `both_languages_have_the_same_keys` compares them). Sections by feature;
# keep each feature's keys in its own section.

## Layout (every page)
site-skip = Skip to content
nav-label = Main navigation
nav-home = Home
nav-calendar = Calendar
nav-projects = Projects
nav-organizations = Organizations
nav-search = Search
nav-signin = Sign in
nav-signout = Sign out
nav-dashboard = Dashboard
nav-admin = Administration
nav-account = Account
lang-switch = Language
footer-about = About this instance
footer-software = Runs on Revier, free software under the AGPL.
footer-api = API

## Errors and forms (shared)
error-title = Something went wrong
error-status = Error { $status }
error-back = Back to the home page
error-not-found = This page does not exist.
error-internal = The server failed. The administrator can find the cause in the log under the id { $id }.
form-errors-heading = Please correct the following:
form-csrf = The form expired. Please send it again.
form-required = required
form-save = Save
form-cancel = Cancel
form-delete = Delete
form-preview = Preview
form-optional = optional

## Sign-in
signin-title = Sign in
signin-login = Username or e-mail address
signin-password = Password
signin-submit = Sign in
signin-wrong = The name or e-mail address or the password is wrong.
signin-limited = Too many attempts. Please wait a few minutes and try again.
signin-disabled = This account is disabled. Please contact the administrator.
signin-forgot = Forgot your password?
signin-no-admin = This instance has no administrator yet. Create the first one on the server's terminal:
signout-done = You are signed out.
done-signed-out = You are signed out.
admin-only = This page is for administrators.

## Home page and organization pages



## Calendar and event pages



## Project directory and project pages



## Search



## Embedded calendar



## Follow and interact



## Dashboard and organizations (members)



## Announcements (members)



## Events (members)



## Projects (members)



## Account: profile, password, tokens, sessions, password reset
account-nav = Account pages
account-title = Your account
account-handle = Your address in the fediverse
account-email = E-mail address
account-actions = Actions
account-f-name = Display name
    .invalid = Enter a display name of 1 to 200 characters.
account-f-summary = About you
    .hint = Plain text; a blank line starts a new paragraph.
    .invalid = Write at most 5000 characters.
account-f-current = Current password
    .wrong = The current password is wrong.
account-f-password = New password
    .hint = At least 10 characters.
    .invalid = The password must have at least 10 characters.
account-f-password_repeat = Repeat the new password
    .differ = The two passwords differ.
account-f-username = Username
    .hint = Lower-case letters a–z, digits and _, with . or - only between them. It cannot be changed later.
    .invalid = Use 1 to 64 lower-case letters a–z, digits and _, with . or - only between them.
    .taken = This name is taken. Please choose another.
account-f-email = E-mail address
    .invalid = Enter an e-mail address like name@example.org.
    .taken = This address already belongs to an account.
account-f-reason = Why would you like to join?
    .invalid = Please write 1 to 2000 characters.
account-f-label = Label
    .invalid = Give the token a label of 1 to 100 printable characters.
account-f-days = Expires after (days)
    .hint = Leave empty for a token that does not expire.
    .invalid = Enter a number of days from 1 to 3650, or leave the field empty.
account-password-title = Password
account-password-intro = After the change you stay signed in here; all your other sessions end.
account-password-submit = Change password
account-tokens-title = API tokens
account-tokens-intro = Programs use API tokens to publish for you. Treat a token like a password.
account-tokens-none = You have no API tokens.
account-token-label = Label
account-token-created = Created
account-token-expires = Expires
account-token-used = Last used
account-token-never = never
account-token-unused = not yet
account-token-revoke = Revoke “{ $label }”
account-token-create = Create token
account-token-made = The token was created.
account-token-once = Copy the token now: it is shown only this once.
account-token-new = Your new token
account-sessions-title = Sessions
account-session-agent = Browser
account-session-started = Signed in
account-session-seen = Last seen
account-session-this = this browser
account-session-unknown = unknown browser
account-session-end = End session
account-sessions-end-all = Sign out everywhere
password-forgot-title = Forgot your password?
password-forgot-intro = Enter your username or e-mail address. If it belongs to an account, we send a link to set a new password to its e-mail address.
password-forgot-submit = Send link
password-forgot-sent = If the name or address belongs to an account, a link to set a new password is on its way. It works for one hour, once.
password-f-login = Username or e-mail address
    .invalid = Enter your username or e-mail address.
password-back-signin = Back to sign-in
password-reset-title = Set a new password
password-reset-intro = Choose a new password. Afterwards you are signed out everywhere and sign in with the new password.
password-reset-submit = Set password
password-reset-gone = This link was already used or has expired.
password-reset-again = Ask for a new link
done-profile-saved = Your profile was saved.
done-password-changed = Your password was changed. Your other sessions have ended.
done-token-revoked = The token was revoked.
done-session-ended = The session was ended.
done-signed-out-everywhere = You are signed out everywhere.
done-password-reset = Your password was set. Please sign in with it.
done-registered = Welcome! Your account is ready.

## Administration and registration
admin-nav = Administration pages
admin-title = Instance settings
admin-f-name = Name of the instance
    .invalid = Enter a name of 1 to 100 characters.
admin-f-description = Description
    .hint = Shown on the home page and on “About”. Plain text; a blank line starts a new paragraph.
    .invalid = Write at most 5000 characters.
admin-f-rules = Rules
    .hint = One rule per line.
    .invalid = Write at most 5000 characters.
admin-f-contact = Contact
    .hint = An e-mail address or a link where people reach the administrators.
    .invalid = Write at most 200 characters.
admin-f-languages = Languages of the instance
    .invalid = Choose at least one language.
admin-f-registration = Registration
    .invalid = Choose how people may register.
admin-f-email =
    .hint = With an address, the link is also sent by e-mail (when the server can send e-mail).
    .invalid = Enter an e-mail address like name@example.org, or leave the field empty.
admin-f-days = Valid for (days)
    .invalid = Enter a number of days from 1 to 90.
admin-f-uses = Number of accounts
    .invalid = Enter a number from 1 to 100.
admin-mode-closed = Closed: only administrators create accounts
admin-mode-invitation = By invitation: with a link from an administrator
admin-mode-approval = With approval: anyone may ask, an administrator decides
admin-mode-open = Open: anyone may register
admin-users-title = Users
admin-user-name = Username
admin-user-role = Role
admin-user-status = Status
admin-user-since = Since
admin-user-active = active
admin-user-disabled = disabled
admin-user-pending = waiting for approval
admin-user-rejected = rejected
admin-role-admin = Administrator
admin-role-member = Member
admin-make-admin = Make { $name } an administrator
admin-make-member = Make { $name } a member
admin-disable = Disable { $name }
admin-enable = Enable { $name }
admin-reset = Password link for { $name }
admin-reset-link = Pass this link on to { $name }. It sets a new password, works once and for 24 hours.
admin-reset-link-label = Password link
admin-users-refused = This is not possible: you cannot disable yourself or take away your own administrator role, and the instance must keep an administrator.
admin-users-bad-role = Unknown role.
admin-invitations-title = Invitations
admin-invitations-none = There are no invitations.
admin-invitations-mode = Registration is not set to “by invitation”: invitation links work only in that mode.
admin-invitation-create = Create invitation
admin-invitation-made = The invitation was created.
admin-invitation-mailed = The invitation was created and sent by e-mail.
admin-invitation-once = Copy the link now: it is shown only this once.
admin-invitation-link = Invitation link
admin-invitation-used = Used
admin-invitation-uses = { $uses } of { $max }
admin-invitation-no-email = (link only)
admin-registrations-title = Registrations
admin-registrations-none = No registration is waiting for approval.
admin-registrations-mode = Registration is not set to “with approval”.
admin-request-when = Asked on
admin-request-reason = Reason
admin-approve = Approve { $name }
admin-reject = Reject { $name }
about-title = About this instance
about-no-description = The administrators have not described this instance yet.
about-languages = Languages:
about-rules = Rules
about-contact = Contact
about-no-contact = No contact is given.
about-admins = Administrators:
about-registration = Joining
about-reg-closed = Registration is closed.
about-reg-invitation = You can join with an invitation from an administrator.
about-reg-approval = You can ask to join; an administrator decides.
about-reg-open = Anyone may register.
register-link = Create an account
register-title = Create an account
register-closed = This instance does not take registrations.
register-invite-needed = You need a valid invitation link to register here. This one is missing, used up or expired.
register-approval-intro = An administrator reads every request. You can sign in once it is approved; we tell you by e-mail.
register-submit = Create account
register-queued = Thank you! Your request is waiting for an administrator. You can sign in once it is approved.
done-settings-saved = The settings were saved.
done-role-changed = The role was changed.
done-user-disabled = The account was disabled and its sessions ended.
done-user-enabled = The account was enabled.
done-reset-mailed = The password link was sent by e-mail.
done-invitation-deleted = The invitation was deleted.
done-registration-approved = The registration was approved.
done-registration-approved-mailed = The registration was approved; the person was told by e-mail.
done-registration-rejected = The registration was rejected.
done-registration-rejected-mailed = The registration was rejected; the person was told by e-mail.

## E-mail
mail-reset-subject = { $instance }: set a new password
mail-reset-body = Hello { $name },

    someone asked to set a new password for your account on { $instance }. To do it, open this link within { $hours ->
        [one] one hour
       *[other] { $hours } hours
    }:

    { $link }

    The link works once. If you did not ask for it, ignore this message: your password stays as it is.
mail-invite-subject = Your invitation to { $instance }
mail-invite-body = Hello,

    you are invited to create an account on { $instance }. Open this link within { $days } days:

    { $link }
mail-approved-subject = { $instance }: your account is ready
mail-approved-body = Hello { $name },

    your registration on { $instance } was approved. You can sign in now:

    { $link }
mail-rejected-subject = { $instance }: your registration
mail-rejected-body = Hello { $name },

    we are sorry: your registration on { $instance } was not approved.

## Media



