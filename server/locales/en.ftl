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



## Administration and registration



## E-mail



## Media



