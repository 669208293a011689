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
dash-title = Dashboard
dash-your-orgs = Your organizations
dash-no-orgs = You are not a member of any organization yet. Create one, or ask an owner for an invitation.
dash-create-org = Create an organization
dash-pending-follows = { $n ->
    [0] No follow requests waiting
    [one] One follow request waiting
   *[other] { $n } follow requests waiting
}
dash-new-comments = { $n ->
    [0] No new comments this week
    [one] One new comment this week
   *[other] { $n } new comments this week
}
dash-publish = Publish
dash-new-announcement = Write an announcement
dash-new-event = Create an event
dash-new-project = Add a project
dash-edit-org = Edit the profile
dash-members = Members and invitations
orgs-tabs = Manage the organization
orgs-tab-profile = Profile
orgs-tab-members = Members
orgs-tab-followers = Followers
orgs-tab-comments = Comments
orgs-forbidden = You may not do this for this organization: owners and editors edit it, and only owners manage its members.
orgs-role-owner = Owner
orgs-role-editor = Editor
orgs-new-title = Create an organization
orgs-name = Name
orgs-slug = Short name (address)
orgs-slug-hint = Lower-case letters a–z, digits and _, with . or - only between them. It becomes the address @name and cannot be changed later.
orgs-create = Create the organization
orgs-err-slug = Please choose a short name of lower-case letters a–z, digits and _, with . or - only between them.
orgs-err-slug-taken = This short name is already taken. Please choose another one.
orgs-err-name = Please enter a name of 1 to 200 characters.
orgs-err-fields = At most 50 profile fields, names up to 255 and values up to 2047 characters.
orgs-err-image = The image could not be stored.
orgs-err-image-missing = Please choose an image file.
orgs-err-alt = Please describe the image (alt text, 1 to 1500 characters).
orgs-edit-title = Organization
orgs-profile = Profile
orgs-summary = Description
orgs-summary-hint = Markdown: **bold**, *italic*, [links](https://example.org), #hashtags.
orgs-fields = Profile fields
orgs-fields-hint = Pairs of name and value, such as "Website" and an address. Leave a row empty to remove it.
orgs-field-name = Name of field { $n }
orgs-field-value = Value of field { $n }
orgs-manual = Approve followers by hand
orgs-manual-hint = New followers wait until an owner or editor approves them on the followers page.
orgs-images = Logo and header image
orgs-logo = Logo
orgs-header = Header image
orgs-image-file = Image file (PNG, JPEG, WebP or GIF)
orgs-image-alt = Alt text
orgs-image-alt-hint = Describe what the image shows, for people who cannot see it.
orgs-image-upload = Upload
orgs-members-title = Members
orgs-members-list = Members and roles
orgs-members-name = Name
orgs-members-role = Role
orgs-members-actions = Actions
orgs-members-role-of = Role of { $name }
orgs-members-change-role = Change role
orgs-members-remove = Remove { $name }
orgs-members-last-owner = An organization keeps at least one owner: make another member an owner first.
orgs-invite-heading = Invite someone
orgs-invite-hint = An invitation is a link that works once, for two weeks. With an e-mail address, it is sent there.
orgs-invite-email = E-mail address
orgs-invite-create = Create the invitation
orgs-invite-err-email = Please enter an e-mail address such as name@example.org, or leave the field empty.
orgs-invite-link = Invitation link
orgs-invite-mailed = The invitation was sent by e-mail. You can also pass on this link:
orgs-invite-pass-on = Please pass on this link yourself (this instance sends no e-mail). It is shown only now.
orgs-invite-pending = Open invitations
orgs-invite-none = No open invitations.
orgs-invite-expires = Valid until
orgs-invite-by-link = Link only
orgs-invite-revoke = Withdraw
orgs-invite-title = Invitation
orgs-invite-to-owner = You are invited to become an owner of { $org }.
orgs-invite-to-editor = You are invited to become an editor of { $org }.
orgs-invite-accept = Accept the invitation
orgs-invite-unusable = This invitation cannot be used: it was used already, withdrawn or has expired. Please ask for a new one.
orgs-invite-mail-subject = Invitation to { $org }
orgs-invite-mail-text = You are invited to help publish for { $org } on { $instance }. Open this link to accept (it works once, for two weeks):

    { $link }
orgs-followers-title = Followers
orgs-followers-pending = Follow requests
orgs-followers-no-pending = No follow requests waiting.
orgs-followers-accepted = { $n ->
    [one] One follower
   *[other] { $n } followers
}
orgs-followers-none = No followers yet.
orgs-followers-approve = Approve
orgs-followers-reject = Reject
orgs-followers-remove = Remove
orgs-comments-mod-title = Comments
orgs-comments-mod-none = No comments yet.
orgs-comments-mod-on = on this post
orgs-comments-mod-hidden = hidden
orgs-comments-mod-closed = comments closed
orgs-comments-mod-hide = Hide
orgs-comments-mod-show = Show again
orgs-comments-mod-close = Close comments
orgs-comments-mod-open = Reopen comments
done-orgs-created = The organization was created.
done-orgs-saved = The profile was saved; followers receive the update.
done-orgs-image-saved = The image was saved.
done-orgs-member-role = The role was changed.
done-orgs-member-removed = The member was removed.
done-orgs-invite-revoked = The invitation was withdrawn.
done-orgs-invite-accepted = Welcome! You are now a member of the organization.
done-orgs-follower-approved = The follow request was approved.
done-orgs-follower-rejected = The follower was rejected.
done-orgs-comment-hidden = The comment is hidden.
done-orgs-comment-shown = The comment is shown again.
done-orgs-comment-deleted = The comment was deleted.
done-orgs-comments-closed = Comments on this post are closed.
done-orgs-comments-opened = Comments on this post are open again.



## Announcements (members)



## Events (members)



## Projects (members)



## Account: profile, password, tokens, sessions, password reset



## Administration and registration



## E-mail



## Media



