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



## Search



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



## Dashboard and organizations (members)



## Announcements (members)



## Events (members)



## Projects (members)



## Account: profile, password, tokens, sessions, password reset



## Administration and registration



## E-mail



## Media



