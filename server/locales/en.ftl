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
nav-moderation = Moderation
moderators-only = Only moderators and administrators may open this page.
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
home-title = Home
home-intro = Projects, events and announcements of the regional open-source community, to follow from the fediverse.
home-no-admin = This instance has no administrator yet. Create the first one on the server's terminal (the password is read from standard input):
home-events = Events in the next { $days } days
home-no-events = No events in the next days.
home-all-events = All events in the calendar
home-ics = Subscribe to the calendar (iCal)
home-announcements = Latest announcements
home-no-announcements = No announcements yet.
home-feed = Announcements as a feed (Atom)
home-projects = Projects
home-featured = Featured
home-recent-projects = Recently updated
home-no-projects = No projects yet.
home-all-projects = All projects in the directory
home-orgs = Organizations
home-no-orgs = No organizations yet.
home-all-orgs = All organizations
orgs-title = Organizations
orgs-intro = The organizations that publish on this instance.
org-logo-alt = Logo of { $name }
org-counts = { $followers ->
    [one] one follower
   *[other] { $followers } followers
  } · { $projects ->
    [one] one project
   *[other] { $projects } projects
  } · { $events ->
    [one] one upcoming event
   *[other] { $events } upcoming events
  } · { $announcements ->
    [one] one announcement
   *[other] { $announcements } announcements
  }
org-sections = Sections of this page
org-announcements = Announcements
org-no-announcements = No announcements yet.
org-feed = Announcements as a feed (Atom)
org-events = Upcoming events
org-no-events = No upcoming events.
org-ics = Events as a calendar (iCal)
org-calendar = Events in the calendar
org-projects = Projects
org-no-projects = No projects yet.
org-directory = Projects in the directory
actor-organization = Organization
actor-person = Person
actor-instance = Instance
actor-followers = { $n ->
    [one] one follower
   *[other] { $n } followers
  }
note-title = Announcement by { $author }
note-edited = edited
note-about = About:
tag-heading = Announcements tagged #{ $tag }
list-empty = Nothing here yet.
list-event-cancelled = cancelled
list-event-online = online
list-pages = Pages
list-prev = Previous page
list-next = Next page



## Calendar and event pages
cal-title = Events
cal-views = Calendar views
cal-view-list = List
cal-view-month = Month
cal-filter = Filter events
cal-org = Organization
cal-any = All
cal-tag = Tag
cal-category = Category
cal-place = Place
cal-place-hint = A town, e.g. Dortmund
cal-online-only = Online events only
cal-from = From
cal-to = Until
cal-apply = Show events
cal-reset = Remove filters
cal-ics = Add to calendar (iCal)
cal-feed = News feed (Atom)
cal-embed = Embed this calendar
cal-months = Months
cal-more = { $n ->
    [one] one more event
   *[other] { $n } more events
}
cal-month-prev = Previous month: { $month }
cal-month-next = Next month: { $month }
cal-month-empty = No events this month.
cal-upcoming = Upcoming events
cal-none = No upcoming events match.
cal-pages = Pages
cal-page-prev = Earlier events
cal-page-next = Later events
cal-error-date = Please enter a date such as 2026-10-24.
cal-error-range = The end date is before the start date.
cal-weekday-1 = Mon
cal-weekday-2 = Tue
cal-weekday-3 = Wed
cal-weekday-4 = Thu
cal-weekday-5 = Fri
cal-weekday-6 = Sat
cal-weekday-7 = Sun
cal-from-server = from { $server }
cal-online = online
cal-by = by
event-status-tentative = Tentative
event-status-cancelled = Cancelled
event-status-postponed = Postponed
event-status-rescheduled = Rescheduled
event-status-moved-online = Moved online
event-when = When
event-next-date = Next date
event-repeats = This event repeats.
event-past = This event is over.
event-place = Place
event-map = Show on OpenStreetMap
event-online = Online
event-organizer = Organized by
event-projects = Related projects
event-participation = Participation
event-participants =
    { $n ->
        [one] 1 participant
       *[other] { $n } participants
    }
event-participants-of = { $n } of { $capacity } places taken
event-join-free = open to everyone
event-join-restricted = the organizers approve participants
event-join-external = registration elsewhere
event-join-invite = by invitation
event-register = Register
event-topics = Topics
event-ics = Add to calendar (iCal)
event-all = All events
event-tz-label = Also show the time in this time zone
event-tz-none = None
event-tz-apply = Show
category-arts = Arts
category-book-clubs = Book clubs
category-business = Business
category-causes = Causes
category-comedy = Comedy
category-crafts = Crafts
category-food-drink = Food and drink
category-health = Health
category-music = Music
category-auto-boat-air = Cars, boats and planes
category-community = Community
category-family-education = Family and education
category-fashion-beauty = Fashion and beauty
category-film-media = Film and media
category-games = Games
category-language-culture = Language and culture
category-learning = Learning
category-lgbtq = LGBTQ
category-movements-politics = Movements and politics
category-networking = Networking
category-party = Party
category-performing-visual-arts = Performing and visual arts
category-pets = Pets
category-photography = Photography
category-outdoors-adventure = Outdoors and adventure
category-spirituality-religion-beliefs = Spirituality, religion and beliefs
category-science-tech = Science and technology
category-sports = Sports
category-theatre = Theatre
category-meeting = Meeting
comments-heading = Comments
comments-pages = Pages of comments
comments-older = Earlier comments
comments-newer = Later comments
comments-closed = Comments are closed.



## Project directory and project pages
directory-title = Projects
directory-intro = Open-source projects of the region and who maintains them.
directory-filters = Filter projects
directory-license = License
directory-topic = Topic
directory-language = Programming language
directory-status = Development status
directory-org = Maintaining organization
directory-any = any
directory-apply = Show projects
directory-reset = Clear filters
directory-results = Projects found
directory-none = No project matches these filters.
directory-status-concept = concept
directory-status-development = in development
directory-status-beta = beta
directory-status-stable = stable
directory-status-obsolete = obsolete
project-logo-alt = Logo of { $name }
project-featured = featured
project-facts = Facts
project-org = Organization
project-status = Development status
project-license = License
project-maintenance = Maintenance
project-maintenance-internal = maintained by its owner
project-maintenance-contract = maintained under contract
project-maintenance-community = maintained by a community
project-maintenance-none = not maintained
project-software-type = Software type
project-platforms = Platforms
project-languages = Programming languages
project-topics = Topics
project-funders = Funded by
project-users = Used by
project-awards = Awards
project-links = Links
project-repository = Source code repository
project-website = Website and documentation
project-source = Where the publiccode.yml comes from
project-maintainers = Maintained by
project-confirmed = confirmed
project-claimed = claimed, not confirmed
project-releases = Releases
project-events = Events about this project
project-no-events = No upcoming events about this project.
project-announcements = Announcements about this project
project-no-announcements = No announcements about this project yet.
project-feature = Feature on the home page
project-unfeature = Stop featuring on the home page
done-project-featured = The project is featured on the home page.
done-project-unfeatured = The project is no longer featured on the home page.



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
embed-title = Upcoming events
embed-none = No upcoming events.
embed-more = The whole calendar
embed-frame-title = Upcoming events
embed-gen-title = Embed the calendar on your website
embed-gen-intro = Choose what the calendar shows, then copy the code into your web page. Visitors see the next events and open them here in a new tab.
embed-gen-lang = Language
embed-gen-limit = Number of events
embed-gen-make = Make the code
embed-gen-code = Code for your web page
embed-gen-copy = Copy this code into your page
embed-gen-preview = Preview the embedded calendar



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
orgs-tab-announcements = Announcements
orgs-tab-events = Events
orgs-tab-projects = Projects
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
ev-list-title = Events
ev-list-empty = This organization has no events yet.
ev-list-when = Starts
ev-list-participants = Participants
ev-list-actions = Actions
ev-edit-link = Edit
ev-new-title = New event
ev-edit-title = Edit event
ev-back-to-list = All events of the organization
ev-back-to-event = Back to the event
ev-is-cancelled = Cancelled
ev-public-page = Public page
ev-participants-link = Participants
ev-title = Title
ev-description = Description
ev-description-hint = Markdown: **bold**, *italic*, [link](https://example.org), lists with "-". #hashtags become tags.
ev-when = Date and time
ev-all-day = All day
ev-all-day-hint = Times are ignored; the event takes the whole days from start to end date.
ev-start-date = Start date
ev-start-time = Start time
ev-end-date = End date
ev-end-time = End time
ev-end-hint = Without an end, the event lasts one hour (or the start day when all day).
ev-timezone = Time zone
ev-timezone-hint = The zone the times above are in, such as Europe/Berlin.
ev-recurrence = Recurrence
ev-repeat = Repeats
ev-repeat-hint = Repetitions follow the start date and time.
ev-repeat-none = Does not repeat
ev-repeat-daily = Every day
ev-repeat-weekly = Every week on the start's weekday
ev-repeat-biweekly = Every two weeks on the start's weekday
ev-repeat-monthly-date = Every month on the same date
ev-repeat-monthly-weekday = Every month on the same weekday (such as the second Tuesday)
ev-repeat-keep = Keep the imported rule ({ $rule })
ev-repeat-until = Last date
ev-repeat-count = Number of dates
ev-repeat-end-hint = Give a last date or a number of dates, or neither for a series without end.
ev-place = Place
ev-place-hint = An address, an online link, or both.
ev-place-name = Name of the place
ev-street = Street and number
ev-postal-code = Postal code
ev-city = City
ev-country = Country
ev-online-url = Online link
ev-online-url-hint = An https link to the video call or stream.
ev-about = Topic
ev-category = Category
ev-category-none = No category
ev-tags = Tags
ev-tags-hint = Separated by commas, such as linux, opendata.
ev-related-projects = Related projects
ev-co-organizers = Co-organizers
ev-participation = Participation
ev-capacity = Capacity
ev-capacity-hint = The most people who can take part; empty for no limit.
ev-join-mode = Taking part
ev-join-free = Open: anyone may join
ev-join-restricted = On approval: you approve each participant
ev-join-external = Registration elsewhere (link below)
ev-join-invite = By invitation only
ev-registration-url = Registration link
ev-registration-url-hint = Required for registration elsewhere: an https or mailto: link.
ev-publish = Publish event
ev-banner = Banner image
ev-banner-image = Image file
ev-banner-alt = Alt text
ev-banner-alt-hint = Describe the image for people who cannot see it.
ev-banner-save = Save banner
ev-banner-remove = Remove banner
ev-cancel-heading = Cancel the event
ev-cancel-hint = The event stays visible, marked as cancelled; followers and participants are told.
ev-cancel-submit = Cancel event
ev-import-heading = Import from a calendar (iCalendar)
ev-import-hint = Each VEVENT becomes an event; events imported before are updated by their UID.
ev-import-file = Calendar file (.ics)
ev-import-upload = Upload and import
ev-import-url = Calendar address (URL)
ev-import-fetch = Fetch and import
ev-import-done = Import finished.
ev-import-created = Created
ev-import-updated = Updated
ev-import-refused = These entries were not imported:
ev-import-entry-error = Entry { $n }: { $error }
ev-import-empty = The file is empty.
ev-import-not-utf8 = The file is not a UTF-8 text file.
ev-participants-title = Participants
ev-participants-empty = Nobody has joined yet.
ev-participant = Participant
ev-participant-state = State
ev-participant-since = Since
ev-approve = Approve
ev-reject = Reject
ev-state-pending = waiting for approval
ev-state-accepted = accepted
ev-state-rejected = rejected
ev-err-whole-number = Enter a whole number.
ev-err-until-or-count = Give either a last date or a number of dates, not both.
ev-err-date = Enter a date.
ev-err-count = Enter a number from 1 to 1000.
ev-err-end-before-start = The end is before the start.
ev-err-alt = Describe the image.
ev-sign-in-first = Please sign in first.
done-event-created = The event is published.
done-event-saved = The changes are saved and sent to followers.
done-event-cancelled = The event is cancelled.
done-banner-saved = The banner is saved.
done-participant-approved = The participant is approved.
done-participant-rejected = The participant is rejected.
ev-cat-arts = Arts
ev-cat-book-clubs = Book clubs
ev-cat-business = Business
ev-cat-causes = Causes
ev-cat-comedy = Comedy
ev-cat-crafts = Crafts
ev-cat-food-drink = Food and drink
ev-cat-health = Health
ev-cat-music = Music
ev-cat-auto-boat-air = Cars, boats and planes
ev-cat-community = Community
ev-cat-family-education = Family and education
ev-cat-fashion-beauty = Fashion and beauty
ev-cat-film-media = Film and media
ev-cat-games = Games
ev-cat-language-culture = Language and culture
ev-cat-learning = Learning
ev-cat-lgbtq = LGBTQ
ev-cat-movements-politics = Movements and politics
ev-cat-networking = Networking
ev-cat-party = Party
ev-cat-performing-visual-arts = Performing and visual arts
ev-cat-pets = Pets
ev-cat-photography = Photography
ev-cat-outdoors-adventure = Outdoors and adventure
ev-cat-spirituality-religion-beliefs = Spirituality, religion and beliefs
ev-cat-science-tech = Science and technology
ev-cat-sports = Sports
ev-cat-theatre = Theatre
ev-cat-meeting = Meeting



## Projects (members)
pj-list-title = Projects
pj-list-empty = This organization has no projects yet.
pj-new-title = New project
pj-edit-title = Edit project
pj-back-to-list = All projects of the organization
pj-back-to-project = Back to the project
pj-public-page = Public page
pj-releases-link = Releases
pj-import-heading = Import a publiccode.yml
pj-import-hint = Upload the file or give its address; the project's fields are taken from it. Importing the same address again updates the project.
pj-import-file = publiccode.yml file
pj-import-url = Address of a publiccode.yml (URL)
pj-import-slug = Short name (optional)
pj-import-submit = Import
pj-import-nothing = Choose a file or give an address.
pj-import-not-utf8 = The file is not a UTF-8 text file.
pj-form-heading = Or fill in the form
pj-name = Name
pj-slug = Short name
pj-slug-hint = Part of the project's address and handle, such as my-project; made from the name when empty. It cannot be changed later.
pj-summary = Summary
pj-summary-hint = One sentence, plain text.
pj-description = Description
pj-description-hint = Markdown.
pj-links = Links
pj-repository = Source code repository
pj-website = Website
pj-logo = Logo (URL)
pj-logo-hint = An https address of the logo image.
pj-facts = Facts
pj-license = License
pj-license-hint = An SPDX expression, such as AGPL-3.0-or-later or Apache-2.0.
pj-languages = Programming languages
pj-topics = Topics
pj-platforms = Platforms
pj-list-hint = Separated by commas.
pj-development-status = Development status
pj-maintenance-type = Maintenance
pj-software-type = Kind of software
pj-not-given = Not given
pj-create = Create project
pj-releases-title = Releases
pj-releases-known = Published releases
pj-releases-empty = No release yet.
pj-release-new = Publish a release
pj-release-version = Version
pj-release-version-hint = Such as 1.4.0.
pj-release-date = Release date
pj-release-date-hint = Today when empty.
pj-release-notes = Release notes
pj-release-notes-hint = Markdown; sent to the project's followers with the release.
pj-release-publish = Publish release
done-project-created = The project is created.
done-project-imported = The project is imported.
done-project-saved = The changes are saved and sent to followers.
done-release-published = The release is published.



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
media-alt = Description (alt text)
media-alt-n = Description of image { $n } (alt text)
media-alt-hint = Required when you choose an image: say what it shows.
media-file = Image { $n }
media-remove = Remove this image
media-err-alt = Please describe the image (at most { $max } characters).
media-err-size = The file is too large (at most { $mib } MiB).
media-err-type = The file is not a PNG, JPEG, WebP or GIF image.

## Reports (the report form)
report-link = Report
report-title = Report to the moderators
report-what = What you report
report-intro = The moderators of this instance read every report. You do not need an account; your address is not stored with the report.
report-category = What is wrong?
report-category-spam = Spam
report-category-legal = Illegal content
report-category-violation = It breaks the rules of this instance
report-category-other = Something else
report-comment = Your note to the moderators (optional)
report-comment-hint = At most 5,000 characters. Say what the moderators should look at.
report-submit = Send the report
report-sent-title = Thank you
report-sent = Your report was sent to the moderators.
report-back = Back to what you reported
report-kind-event = Event
report-kind-note = Post
report-kind-group = Organization
report-kind-person = Person
report-kind-project = Project
report-kind-other = Account
report-err-no-target = Say what you want to report (the address of a page here).
report-err-unknown-target = There is nothing to report at that address.
report-err-category = Please choose what is wrong.
report-err-comment-long = The note is too long (at most 5,000 characters).
report-err-limited = Too many reports from your address; please try again in an hour.
reports-title = Reports
reports-filter = Reports by status
reports-status-open = Open
reports-status-resolved = Resolved
reports-status-rejected = Rejected
reports-none = No reports here.
reports-number = Report { $id }
reports-detail-title = Report { $id }
reports-back = All reports
reports-col-report = Report
reports-col-received = Received
reports-col-account = Reported account
reports-col-category = Category
reports-col-reporter = Reported by
reports-col-comment = Note
reports-col-status = Status
reports-col-host = Server
reports-reporter-anonymous = anonymous
reports-reporter-remote = the server { $host }
reports-no-comment = (no note)
reports-forwarded = Forwarded
reports-decided = Decided
reports-reported-content = Reported content
reports-snapshot-hint = As it was when it was reported.
reports-open-original = open the original
reports-decide = Decide
reports-note = Note for the moderators (optional)
reports-resolve = Resolve
reports-reject = Reject
reports-forward-heading = Forward to the home server
reports-forward-hint = Sends the report to { $host } from this instance, without the reporter's name or note.
reports-forward-comment = Comment to send (optional, at most 5,000 characters)
reports-forward = Forward
reports-earlier = Earlier reports about this account or server
reports-earlier-none = None.
reports-log = Earlier moderation of this account or server
reports-log-none = None.
reports-err-status = Unknown status: choose open, resolved or rejected.
reports-err-decided = This report was decided already.
reports-err-local = Only reports about content of other servers can be forwarded.
done-report-resolved = The report is resolved.
done-report-rejected = The report is rejected.
done-report-forwarded = The report was forwarded.
modlog-action-report-resolve = Report resolved
modlog-action-report-reject = Report rejected
modlog-action-report-forward = Report forwarded

## Moderation queue and actions
moderation-nav = Moderation
moderation-title = Moderation
moderation-intro = Reports, accounts and the log of what moderators did.
moderation-reports = Reports
moderation-log = Moderation log
moderation-accounts-title = Accounts
moderation-search-title = Find an account
moderation-search-label = Name, handle or server
moderation-search = Search
moderation-search-bad = The search has at most 200 characters.
moderation-results = Results
moderation-no-accounts = No account matches.
moderation-recent = Recent actions
moderation-earlier = Earlier actions on this account
moderation-log-none = No actions yet.
moderation-log-when = When
moderation-log-who = Moderator
moderation-log-action = Action
moderation-log-target = Target
moderation-log-instance = the instance
moderation-local = on this instance
moderation-remote = on another server
moderation-f-name = Name
moderation-f-id = ActivityPub id
moderation-f-origin = Home
moderation-f-status = Status
moderation-f-reason = Reason (for moderators)
moderation-f-public-reason = Public reason
moderation-status-active = active
moderation-status-suspended = suspended
moderation-status-limited = limited
moderation-status-domain-limited = its server is limited
moderation-content = Recent content
moderation-content-none = No content.
moderation-hidden = hidden
moderation-kind-announcement = Announcement
moderation-kind-event = Event
moderation-kind-project = Project
moderation-kind-comment = Comment
moderation-kind-note = Post
moderation-kind-remote-project = Project
moderation-actions-title = Moderation actions
moderation-actions-account = Account
moderation-actions-account-hint = Suspending a local account ends its sign-in and tells its followers' servers; its data is deleted after the retention period unless the suspension is lifted. Limiting keeps it out of public views. Purging deletes a suspended account's content now.
moderation-actions-object = Object
moderation-suspend = Suspend
moderation-unsuspend = Lift suspension
moderation-limit = Limit
moderation-unlimit = Lift limit
moderation-purge = Purge content
moderation-hide = Hide
moderation-unhide = Show again
moderation-remove = Remove
moderation-bad-report = The report number is not a number.
moderation-bad-action = There is no such moderation action.
moderation-bad-target = Name the account or object to act on.
done-moderation-suspend = The account is suspended.
done-moderation-unsuspend = The suspension is lifted.
done-moderation-limit = The account is limited.
done-moderation-unlimit = The limit is lifted.
done-moderation-purge = The account's content was deleted.
done-moderation-content-hide = The object is hidden.
done-moderation-content-unhide = The object is shown again.
done-moderation-content-remove = The object was removed.
modlog-action-actor-suspend = Account suspended
modlog-action-actor-unsuspend = Suspension lifted
modlog-action-actor-limit = Account limited
modlog-action-actor-unlimit = Limit lifted
modlog-action-actor-purge = Account content purged
modlog-action-content-hide = Content hidden
modlog-action-content-unhide = Content shown again
modlog-action-content-remove = Content removed
admin-role-moderator = Moderator
admin-f-role = Role of { $name }
admin-change-role = Change role
moderation-open-reports-count = { $n ->
    [0] No open reports
    [one] One open report
   *[other] { $n } open reports
}
moderation-hidden-mark = hidden by a moderator

## Domain policies (admins)

domains-title = Domain policies
domains-nav = Domain policies
domains-policies = Policies
domains-none = No domain has a policy.
domains-host = Server
domains-host-hint = A host name such as example.social; the policy covers its subdomains too.
domains-severity = Severity
domains-severity-hint = Suspend: nothing in or out, follows are severed. Limit: not shown in public and regional views; followers still receive. None: only the options below.
domains-severity-suspend = Suspend
domains-severity-limit = Limit
domains-severity-none = None
domains-reject-media = Reject media
domains-reject-reports = Reject reports
domains-private-reason = Private reason
domains-public-reason = Public reason
domains-obfuscate = Obfuscate the name on the public list
domains-obfuscated = obfuscated
domains-source = Source
domains-source-here = Set here
domains-source-list = Subscribed list { $id }
domains-yes = yes
domains-no = no
domains-edit = Edit { $host }
domains-remove = Remove the policy for { $host }
domains-form = Add or change a policy
domains-save = Save policy
domains-bad-host = That is not a host name of another server.
domains-bad-severity = Choose suspend, limit or none.
domains-csv = Import and export (Mastodon CSV)
domains-export = Download the policies as a Mastodon block-list CSV
domains-import = Block-list CSV
domains-import-hint = Paste Mastodon's block-list CSV (header #domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate) or one domain per line. A file with a bad line changes nothing.
domains-import-submit = Import
domains-import-empty = The file is empty.
domains-import-done = Imported
domains-import-refused = Nothing was imported: fix these lines and try again
domains-import-added = { $host }: added ({ $severity })
domains-import-replaced = { $host }: replaced ({ $severity })
domains-import-line = Line { $line }: { $message }
domains-federation = Federation
domains-allowlist-mode = Federate only with the servers on the allowlist
domains-allowlist-mode-hint = When on, every other server is refused: its activities get no answer, nothing is fetched from or sent to it.
domains-public-list = Show the public list of moderated servers
domains-public-link = The public list of moderated servers
domains-settings-save = Save settings
domains-allowlist = Allowlist
domains-allowlist-none = The allowlist is empty.
domains-allow-host = Server to allow
domains-allow-add = Add to the allowlist
domains-allow-remove = Remove { $host } from the allowlist
domains-public-title = Moderated servers
domains-public-intro = This instance limits or refuses content from these servers.
domains-public-empty = No server is moderated.
domains-public-off = The list of moderated servers
domains-public-suspend = Suspended
domains-public-limit = Limited
domains-public-none = Media or reports rejected
done-domain-policy-saved = The domain policy is saved.
done-domain-policy-removed = The domain policy is removed.
done-domain-settings-saved = The federation settings are saved.
done-domain-allow-added = The server is on the allowlist.
done-domain-allow-removed = The server is off the allowlist.
modlog-action-domain-suspend = Suspended a domain
modlog-action-domain-limit = Limited a domain
modlog-action-domain-policy = Set a domain policy
modlog-action-domain-lift = Lifted a domain policy
modlog-action-allow-add = Added a domain to the allowlist
modlog-action-allow-remove = Removed a domain from the allowlist
modlog-action-domain-allowlist-on = Turned the allowlist mode on
modlog-action-domain-allowlist-off = Turned the allowlist mode off
modlog-action-domain-public-list-on = Showed the public list of moderated servers
modlog-action-domain-public-list-off = Hid the public list of moderated servers

## Domain list subscriptions (admins)
domain-lists-title = Domain list subscriptions
domain-lists-intro = Subscribe to the block list or allowlist another instance publishes: it is fetched on a schedule, and its entries become domain policies here (or allowlist entries). A list never changes a policy you set yourself. A signed Revier list must verify with its publisher's key; unsigned CSV or plain-text lists apply only when you allow them.
domain-lists-subscriptions = Subscriptions
domain-lists-none = No subscriptions yet.
domain-lists-url = List address
domain-lists-kind = Kind of list
domain-lists-kind-block = Block list
domain-lists-kind-allow = Allowlist
domain-lists-format = Format
domain-lists-format-auto = Detect from the content
domain-lists-format-signed = Signed Revier list (JSON)
domain-lists-format-csv = Mastodon CSV
domain-lists-format-plain = Plain text, one domain a line
domain-lists-health = Health
domain-lists-last-fetch = Last fetch
domain-lists-last-success = Last success
domain-lists-last-error = Last error
domain-lists-entries = Entries
domain-lists-counts = { $entries } entries, { $skipped } skipped
domain-lists-never = never
domain-lists-every-hours = every { $hours } hours
domain-lists-refresh = Refresh { $name } now
domain-lists-remove = Remove the subscription to { $name }
domain-lists-add = Add a subscription
domain-lists-f-url = Address of the list
    .hint = For example https://other.example/api/v1/instance/domain_lists/block.json
    .invalid = Enter an http(s) address of another server.
    .taken = You already subscribe to this list.
domain-lists-f-kind =
    .invalid = Choose a block list or an allowlist.
domain-lists-f-format =
    .invalid = Choose a format.
domain-lists-f-interval = Refresh
domain-lists-f-refresh_secs =
    .invalid = Choose how often the list is refreshed.
domain-lists-f-unsigned = Accept unsigned lists (CSV, plain text)
    .hint = Anyone who can change the file at that address can then change your policies.
domain-lists-subscribe = Subscribe
domain-lists-ours = Our own lists
domain-lists-ours-intro = This instance publishes the policies you set here (not the hidden ones, not those from subscribed lists) as lists signed by the instance actor, for other instances to subscribe to.
domain-lists-ours-block = Our block list
domain-lists-ours-allow = Our allowlist
domain-lists-detail-title = Domain list subscription
domain-lists-back = All subscriptions
domain-lists-publisher = Signed by
domain-lists-unsigned = not signed
domain-lists-refresh-now = Refresh now
domain-lists-overrides-intro = Ignore an entry to keep it from applying here; keep an entry to hold on to it when the list drops it (and when you remove the subscription).
domain-lists-no-entries = The list has no entries (yet).
domain-lists-domain = Domain
domain-lists-severity = Policy
domain-lists-severity-suspend = Suspend
domain-lists-severity-limit = Limit
domain-lists-severity-none = Media and reports only
domain-lists-comment = Public comment
domain-lists-state = State
domain-lists-state-applied = applied
domain-lists-state-not-applied = not applied (a policy of your own or of another list)
domain-lists-state-ignored = ignored
domain-lists-state-kept = applied, kept
domain-lists-ignore = Ignore { $name }
domain-lists-keep = Keep { $name }
domain-lists-clear = Clear the override for { $name }
domain-lists-remove-this = Remove this subscription
done-domain-list-added = The subscription was added and the list fetched.
done-domain-list-added-failed = The subscription was added, but the list could not be used yet: see the last error.
done-domain-list-refreshed = The list was refreshed.
done-domain-list-refresh-failed = The list could not be refreshed: see the last error. Nothing was changed.
done-domain-list-removed = The subscription was removed, with the policies it had set.
done-domain-list-override-saved = The override was saved.
modlog-action-list-subscribe = subscribed to a domain list
modlog-action-list-unsubscribe = removed a domain list subscription
modlog-action-list-refresh = refreshed a domain list
modlog-action-list-override = changed an override of a domain list
modlog-action-list-allow = changed the allowlist from a domain list

## Moderation log, reply policies and rate limits
replies-mode-label = Who may reply
replies-mode-open = Anyone
replies-mode-followers = Followers only
replies-mode-closed = Nobody (comments closed)
replies-mode-save = Save
done-replies-followers-only = Only the organization's followers may reply to this post now.
modlog-title = Moderation log
modlog-the-instance = the instance
modlog-public-bad = Choose whether the public log is shown or hidden.
modlog-filter-target = Target (address, host or report number)
modlog-filter-host = Server
modlog-filter = Filter
modlog-public-heading = Public moderation log
modlog-public-is-on = The log is public, without names and private reasons:
modlog-public-link = view the public log
modlog-public-is-off = The log is not public.
modlog-public-show = Make the log public
modlog-public-hide = Stop showing the log publicly
modlog-empty = No entries.
modlog-when = When
modlog-who = Who
modlog-action = Action
modlog-target = Target
modlog-reasons = Reasons
modlog-report = Report
modlog-public-reason = Public
modlog-older = Older entries
modlog-public-title = Moderation on this server
modlog-public-intro = What the moderators of this server did, without the names of the people involved.
modlog-server = Server
modlog-reason = Reason
done-modlog-public-on = The moderation log is now public.
done-modlog-public-off = The moderation log is no longer public.
modlog-action-setting-public_log = Public log switched

## Sources and the regional views (issue 10, sources)
sources-regional-projects = From the region
sources-nav = Sources
sources-title = Sources of the regional views
sources-intro = Sources feed this instance's calendar: other instances, organizations, Mobilizon groups, Gancio instances or relays that this instance's actor follows. Only what passes a source's filter appears, marked with its origin.
sources-list = Sources
sources-none = No sources yet: the calendar shows only this instance's events.
sources-source = Source
sources-state = State
sources-filter = Filter
sources-health = Health
sources-never = never
sources-state-pending = waiting for acceptance
sources-state-accepted = following
sources-state-none = not followed (refused or ended)
sources-state-rejected = refused
sources-kind-actor = actor
sources-kind-relay = relay
sources-filter-none = everything
sources-filter-other = set through the API
sources-last-success = Last object
sources-received = Objects received
sources-backfill = Backfill
sources-last-error = Last error
sources-remove = Remove { $name }
sources-add = Add a source
sources-f-input = Host, handle or URL
sources-f-input-hint = For example revier.dortmund.example (its instance), ruhrlinux@mobilizon.example (a group), or the URL of an actor or relay.
sources-f-kind = Kind
sources-f-tags = Only with these tags
sources-f-tags-hint = Separated by commas; empty: everything.
sources-f-exclude-tags = Never with these tags
sources-add-button = Add and follow
sources-add-failed = The source could not be added: { $why }
sources-followers = Instances following this one
sources-followers-intro = Other instances and relay subscribers that follow this instance's actor receive every public event, project and announcement published here.
sources-f-auto = Accept every follow at once
sources-f-hosts = Always accept these hosts
sources-f-hosts-hint = One host per line.
sources-hosts-invalid = The hosts were not saved: { $why }
sources-policy-save = Save
sources-pending = Waiting for your decision
sources-pending-none = No requests are waiting.
sources-accepted = Followers
sources-accepted-none = Nobody follows this instance yet.
sources-accept = Accept { $name }
sources-reject = Refuse { $name }
sources-unfollow = Remove { $name }
done-source-added = The source was added; it appears as following once it accepts.
done-source-removed = The source was removed.
done-source-policy = The settings were saved.
done-source-follower-accepted = The follower was accepted.
done-source-follower-rejected = The follower was refused.
sources-cal-instance = Instance

## Collections (issue 10, collections)

## Backfill and freshness (issue 10, backfill)

## Group federation (issue 10, groups)
