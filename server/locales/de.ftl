# Die Oberfläche von Revier auf Deutsch. Jeder Text einer Seite hat hier und in en.ftl einen
# Schlüssel (der Test `both_languages_have_the_same_keys` vergleicht beide). Abschnitte nach
# Funktion; die Schlüssel einer Funktion stehen in ihrem Abschnitt.

## Layout (every page)
site-skip = Zum Inhalt springen
nav-label = Hauptnavigation
nav-home = Start
nav-calendar = Kalender
nav-projects = Projekte
nav-organizations = Organisationen
nav-search = Suche
nav-signin = Anmelden
nav-signout = Abmelden
nav-dashboard = Übersicht
nav-admin = Verwaltung
nav-account = Konto
lang-switch = Sprache
footer-about = Über diese Instanz
footer-software = Läuft mit Revier, freie Software unter der AGPL.
footer-api = API

## Errors and forms (shared)
error-title = Etwas ist schiefgegangen
error-status = Fehler { $status }
error-back = Zur Startseite
error-not-found = Diese Seite gibt es nicht.
error-internal = Der Server hat einen Fehler gemacht. Die Administration findet die Ursache im Protokoll unter der Kennung { $id }.
form-errors-heading = Bitte korrigieren Sie Folgendes:
form-csrf = Das Formular ist abgelaufen. Bitte senden Sie es noch einmal.
form-required = Pflichtfeld
form-save = Speichern
form-cancel = Abbrechen
form-delete = Löschen
form-preview = Vorschau
form-optional = optional

## Sign-in
signin-title = Anmelden
signin-login = Benutzername oder E-Mail-Adresse
signin-password = Passwort
signin-submit = Anmelden
signin-wrong = Name oder E-Mail-Adresse oder Passwort sind falsch.
signin-limited = Zu viele Versuche. Bitte warten Sie einige Minuten und versuchen Sie es erneut.
signin-disabled = Dieses Konto ist gesperrt. Bitte wenden Sie sich an die Administration.
signin-forgot = Passwort vergessen?
signin-no-admin = Diese Instanz hat noch keine Administration. Legen Sie das erste Admin-Konto im Terminal des Servers an:
signout-done = Sie sind abgemeldet.
done-signed-out = Sie sind abgemeldet.
admin-only = Diese Seite ist der Administration vorbehalten.

## Home page and organization pages
home-title = Startseite
home-intro = Projekte, Veranstaltungen und Mitteilungen der regionalen Open-Source-Gemeinschaft, im Fediverse abonnierbar.
home-no-admin = Diese Instanz hat noch keine Administration. Legen Sie das erste Administrationskonto im Terminal des Servers an (das Passwort wird von der Standardeingabe gelesen):
home-events = Veranstaltungen der nächsten { $days } Tage
home-no-events = In den nächsten Tagen finden keine Veranstaltungen statt.
home-all-events = Alle Veranstaltungen im Kalender
home-ics = Kalender abonnieren (iCal)
home-announcements = Neueste Mitteilungen
home-no-announcements = Noch keine Mitteilungen.
home-feed = Mitteilungen als Feed (Atom)
home-projects = Projekte
home-featured = Empfohlen
home-recent-projects = Kürzlich aktualisiert
home-no-projects = Noch keine Projekte.
home-all-projects = Alle Projekte im Verzeichnis
home-orgs = Organisationen
home-no-orgs = Noch keine Organisationen.
home-all-orgs = Alle Organisationen
about-title = Über { $name }
about-holds = Was diese Instanz enthält
about-orgs = { $n ->
    [one] eine Organisation
   *[other] { $n } Organisationen
  }
about-projects = { $n ->
    [one] ein Projekt
   *[other] { $n } Projekte
  }
about-events = { $n ->
    [one] eine anstehende Veranstaltung
   *[other] { $n } anstehende Veranstaltungen
  }
about-announcements = { $n ->
    [one] eine Mitteilung
   *[other] { $n } Mitteilungen
  }
about-software = Software
about-software-text = Diese Instanz läuft mit Revier, freier Software unter der AGPL. Alles, was sie veröffentlicht, können Sie von Mastodon und anderen Fediverse-Servern aus abonnieren.
about-api = Die API (OpenAPI-Beschreibung)
orgs-title = Organisationen
orgs-intro = Die Organisationen, die auf dieser Instanz veröffentlichen.
org-logo-alt = Logo von { $name }
org-counts = { $followers ->
    [one] eine folgende Person
   *[other] { $followers } Folgende
  } · { $projects ->
    [one] ein Projekt
   *[other] { $projects } Projekte
  } · { $events ->
    [one] eine anstehende Veranstaltung
   *[other] { $events } anstehende Veranstaltungen
  } · { $announcements ->
    [one] eine Mitteilung
   *[other] { $announcements } Mitteilungen
  }
org-sections = Abschnitte dieser Seite
org-announcements = Mitteilungen
org-no-announcements = Noch keine Mitteilungen.
org-feed = Mitteilungen als Feed (Atom)
org-events = Anstehende Veranstaltungen
org-no-events = Keine anstehenden Veranstaltungen.
org-ics = Veranstaltungen als Kalender (iCal)
org-calendar = Veranstaltungen im Kalender
org-projects = Projekte
org-no-projects = Noch keine Projekte.
org-directory = Projekte im Verzeichnis
actor-organization = Organisation
actor-person = Person
actor-instance = Instanz
actor-followers = { $n ->
    [one] eine folgende Person
   *[other] { $n } Folgende
  }
note-title = Mitteilung von { $author }
note-edited = bearbeitet
note-about = Zum Thema:
tag-heading = Mitteilungen mit dem Schlagwort #{ $tag }
list-empty = Hier ist noch nichts.
list-event-cancelled = abgesagt
list-event-online = online
list-pages = Seiten
list-prev = Vorige Seite
list-next = Nächste Seite



## Calendar and event pages



## Project directory and project pages
directory-title = Projekte
directory-intro = Open-Source-Projekte der Region und wer sie pflegt.
directory-filters = Projekte filtern
directory-license = Lizenz
directory-topic = Thema
directory-language = Programmiersprache
directory-status = Entwicklungsstand
directory-org = Pflegende Organisation
directory-any = alle
directory-apply = Projekte anzeigen
directory-reset = Filter zurücksetzen
directory-results = Gefundene Projekte
directory-none = Kein Projekt passt zu diesen Filtern.
directory-status-concept = Konzept
directory-status-development = in Entwicklung
directory-status-beta = Beta
directory-status-stable = stabil
directory-status-obsolete = veraltet
project-logo-alt = Logo von { $name }
project-featured = empfohlen
project-facts = Steckbrief
project-org = Organisation
project-status = Entwicklungsstand
project-license = Lizenz
project-maintenance = Wartung
project-maintenance-internal = vom Eigentümer gepflegt
project-maintenance-contract = im Auftrag gepflegt
project-maintenance-community = von einer Gemeinschaft gepflegt
project-maintenance-none = nicht gepflegt
project-software-type = Art der Software
project-platforms = Plattformen
project-languages = Programmiersprachen
project-topics = Themen
project-funders = Gefördert von
project-users = Genutzt von
project-awards = Auszeichnungen
project-links = Links
project-repository = Quellcode-Repository
project-website = Website und Dokumentation
project-source = Herkunft der publiccode.yml
project-maintainers = Gepflegt von
project-confirmed = bestätigt
project-claimed = beansprucht, nicht bestätigt
project-releases = Versionen
project-events = Veranstaltungen zu diesem Projekt
project-no-events = Keine anstehenden Veranstaltungen zu diesem Projekt.
project-announcements = Mitteilungen zu diesem Projekt
project-no-announcements = Noch keine Mitteilungen zu diesem Projekt.
project-feature = Auf der Startseite empfehlen
project-unfeature = Nicht mehr auf der Startseite empfehlen
done-project-featured = Das Projekt wird auf der Startseite empfohlen.
done-project-unfeatured = Das Projekt wird nicht mehr auf der Startseite empfohlen.



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



