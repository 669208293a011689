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
search-title = Search
search-label = Search for
search-hint = Organizations, projects, events and announcements, from this instance and the servers it follows. German and English word forms match too.
search-submit = Search
search-kind-label = Show
search-filter-label = Filter results by kind
search-kind-all = All
search-kind-organization = Organizations
search-kind-project = Projects
search-kind-event = Events
search-kind-announcement = Announcements
search-type-organization = Organization
search-type-project = Project
search-type-event = Event
search-type-announcement = Announcement
search-remote = from another server
search-empty = Enter one or more words to search.
search-none = Nothing found for “{ $q }”. Try fewer or other words, or another kind.
search-count = { $n ->
    [one] One result for “{ $q }”
   *[other] { $n } results for “{ $q }”
}
search-pages-label = Result pages
search-prev = Previous page
search-next = Next page
search-page = Page { $n }



## Embedded calendar



## Follow and interact
interact-title = Follow or interact
interact-intro-actor = Follow { $name } from your own server in the fediverse (Mastodon, Friendica, Misskey and others).
interact-intro-object = Reply to, like or share “{ $name }” from your own server in the fediverse (Mastodon, Friendica, Misskey and others).
interact-view = View it here.
interact-copy-handle = Handle to search for on your server
interact-copy-uri = Address to paste into your server's search
interact-handle-label = Your handle
interact-handle-hint = Your address in the fediverse, such as @name@example.social. We ask your server where to send you and take you there.
interact-submit = Continue on my server
interact-error-handle = Please enter your handle in the form @name@server, such as @anna@example.social.
interact-error-unknown = Your server does not know the handle { $handle }. Please check the spelling.
interact-error-no-template = Your server { $server } offers no way to follow or interact from outside. Please search for the address above on your server instead.
interact-error-unreachable = Your server { $server } could not be reached. Please try again later, or search for the address above on your server.
interact-error-limited = Too many attempts. Please wait a few minutes and try again.
interact-box-heading = Follow or interact
interact-box-handle = Search for this handle on your server:
interact-box-link = Follow or interact from your own server



## Dashboard and organizations (members)



## Announcements (members)



## Events (members)



## Projects (members)



## Account: profile, password, tokens, sessions, password reset



## Administration and registration



## E-mail



## Media



