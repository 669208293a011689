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
ann-list-title = Announcements
ann-new = Write an announcement
ann-scheduled-heading = Scheduled
ann-scheduled-none = Nothing is scheduled.
ann-scheduled-for = To be published on
ann-edit = Edit
ann-published-heading = Published
ann-published-none = No announcements yet.
ann-col-text = Announcement
ann-col-published = Published
ann-replies = Replies
ann-likes = Likes
ann-boosts = Boosts
ann-detail-title = Announcement
ann-back = Back to the announcements
ann-updated = Edited
ann-public-page = Public page
ann-delete = Delete this announcement
ann-replies-none = No replies yet.
ann-likes-none = No likes yet.
ann-boosts-none = No boosts yet.
ann-form-title-new = New announcement
ann-form-title-scheduled = Scheduled announcement
ann-form-title-edit = Edit announcement
ann-preview-heading = Preview
ann-preview-hint = This is how the announcement will look. Nothing has been published yet.
ann-content = Text
ann-content-hint = Markdown: **bold**, *italic*, [link](https://example.org), #hashtags.
ann-language = Language of the text
ann-images = Images
ann-images-hint = Up to { $n } images (PNG, JPEG, WebP or GIF). Each image needs a description for people who cannot see it.
ann-when = When to publish
ann-when-now = Now
ann-when-later = Later, at the time below
ann-publish-at = Date and time
ann-zone = Time zone
ann-submit-publish = Publish
ann-err-content = Please write the announcement's text (at most 50,000 characters).
ann-err-zone = Please enter a time zone such as Europe/Berlin.
ann-err-publish-at = Please enter a date and time in the future.
ann-err-too-many = An announcement can have at most four images.
done-announcement-published = The announcement is published.
done-announcement-scheduled = The announcement is scheduled.
done-announcement-saved = The changes are saved and sent to the followers.
done-announcement-deleted = The announcement is deleted.
done-announcement-unscheduled = The scheduled announcement is deleted.



## Events (members)



## Projects (members)



## Account: profile, password, tokens, sessions, password reset



## Administration and registration



## E-mail



## Media
media-alt = Description (alt text)
media-alt-n = Description of image { $n } (alt text)
media-alt-hint = Required when you choose an image: say what it shows.
media-file = Image { $n }
media-remove = Remove this image
media-err-alt = Please describe the image (at most { $max } characters).
media-err-size = The file is too large (at most { $mib } MiB).
media-err-type = The file is not a PNG, JPEG, WebP or GIF image.



