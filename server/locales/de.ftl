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



## Calendar and event pages
cal-title = Veranstaltungen
cal-views = Kalenderansichten
cal-view-list = Liste
cal-view-month = Monat
cal-filter = Veranstaltungen filtern
cal-org = Organisation
cal-any = Alle
cal-tag = Schlagwort
cal-category = Kategorie
cal-place = Ort
cal-place-hint = Eine Stadt, z. B. Dortmund
cal-online-only = Nur Online-Veranstaltungen
cal-from = Von
cal-to = Bis
cal-apply = Veranstaltungen zeigen
cal-reset = Filter entfernen
cal-ics = Zum Kalender hinzufügen (iCal)
cal-feed = Nachrichten-Feed (Atom)
cal-embed = Diesen Kalender einbinden
cal-months = Monate
cal-month-prev = Voriger Monat: { $month }
cal-month-next = Nächster Monat: { $month }
cal-month-empty = Keine Veranstaltungen in diesem Monat.
cal-upcoming = Kommende Veranstaltungen
cal-none = Keine kommenden Veranstaltungen gefunden.
cal-pages = Seiten
cal-page-prev = Frühere Veranstaltungen
cal-page-next = Spätere Veranstaltungen
cal-error-date = Bitte geben Sie ein Datum wie 2026-10-24 ein.
cal-error-range = Das Enddatum liegt vor dem Anfangsdatum.
cal-weekday-1 = Mo
cal-weekday-2 = Di
cal-weekday-3 = Mi
cal-weekday-4 = Do
cal-weekday-5 = Fr
cal-weekday-6 = Sa
cal-weekday-7 = So
cal-from-server = von { $server }
cal-online = online
cal-by = von
event-status-tentative = Vorläufig
event-status-cancelled = Abgesagt
event-status-postponed = Verschoben
event-status-rescheduled = Neu angesetzt
event-status-moved-online = Findet online statt
event-when = Wann
event-next-date = Nächster Termin
event-repeats = Diese Veranstaltung wiederholt sich.
event-past = Diese Veranstaltung ist vorbei.
event-place = Ort
event-map = Auf OpenStreetMap zeigen
event-online = Online
event-organizer = Veranstaltet von
event-projects = Zugehörige Projekte
event-participation = Teilnahme
event-participants =
    { $n ->
        [one] 1 Teilnehmerin oder Teilnehmer
       *[other] { $n } Teilnehmende
    }
event-participants-of = { $n } von { $capacity } Plätzen belegt
event-join-free = offen für alle
event-join-restricted = die Veranstaltenden bestätigen die Teilnahme
event-join-external = Anmeldung an anderer Stelle
event-join-invite = nur mit Einladung
event-register = Anmelden
event-topics = Themen
event-ics = Zum Kalender hinzufügen (iCal)
event-all = Alle Veranstaltungen
event-tz-label = Die Zeit auch in dieser Zeitzone zeigen
event-tz-none = Keine
event-tz-apply = Zeigen
category-arts = Kunst
category-book-clubs = Lesekreise
category-business = Wirtschaft
category-causes = Engagement
category-comedy = Comedy
category-crafts = Handwerk und Basteln
category-food-drink = Essen und Trinken
category-health = Gesundheit
category-music = Musik
category-auto-boat-air = Auto, Boot und Flug
category-community = Gemeinschaft
category-family-education = Familie und Bildung
category-fashion-beauty = Mode und Schönheit
category-film-media = Film und Medien
category-games = Spiele
category-language-culture = Sprache und Kultur
category-learning = Lernen
category-lgbtq = LGBTQ
category-movements-politics = Bewegungen und Politik
category-networking = Netzwerken
category-party = Feiern
category-performing-visual-arts = Darstellende und bildende Kunst
category-pets = Haustiere
category-photography = Fotografie
category-outdoors-adventure = Natur und Abenteuer
category-spirituality-religion-beliefs = Spiritualität, Religion und Weltanschauung
category-science-tech = Wissenschaft und Technik
category-sports = Sport
category-theatre = Theater
category-meeting = Treffen
comments-heading = Kommentare
comments-pages = Seiten der Kommentare
comments-older = Frühere Kommentare
comments-newer = Spätere Kommentare
comments-closed = Kommentare sind geschlossen.



## Project directory and project pages



## Search



## Embedded calendar
embed-title = Kommende Veranstaltungen
embed-none = Keine kommenden Veranstaltungen.
embed-more = Der ganze Kalender
embed-frame-title = Kommende Veranstaltungen
embed-gen-title = Den Kalender in Ihre Website einbinden
embed-gen-intro = Wählen Sie, was der Kalender zeigt, und kopieren Sie dann den Code in Ihre Webseite. Besucher sehen die nächsten Veranstaltungen und öffnen sie hier in einem neuen Tab.
embed-gen-lang = Sprache
embed-gen-limit = Anzahl der Veranstaltungen
embed-gen-make = Code erzeugen
embed-gen-code = Code für Ihre Webseite
embed-gen-copy = Kopieren Sie diesen Code in Ihre Seite
embed-gen-preview = Vorschau des eingebundenen Kalenders



## Follow and interact



## Dashboard and organizations (members)



## Announcements (members)



## Events (members)



## Projects (members)



## Account: profile, password, tokens, sessions, password reset



## Administration and registration



## E-mail



## Media



