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
about-title = About { $name }
about-holds = What this instance holds
about-orgs = { $n ->
    [one] one organization
   *[other] { $n } organizations
  }
about-projects = { $n ->
    [one] one project
   *[other] { $n } projects
  }
about-events = { $n ->
    [one] one upcoming event
   *[other] { $n } upcoming events
  }
about-announcements = { $n ->
    [one] one announcement
   *[other] { $n } announcements
  }
about-software = Software
about-software-text = This instance runs Revier, free software under the AGPL. Everything it publishes can be followed from Mastodon and other fediverse servers.
about-api = The API (OpenAPI description)
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



## Embedded calendar



## Follow and interact



## Dashboard and organizations (members)



## Announcements (members)



## Events (members)



## Projects (members)



## Account: profile, password, tokens, sessions, password reset



## Administration and registration



## E-mail



## Media



