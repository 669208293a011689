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



## Project directory and project pages



## Search



## Embedded calendar



## Follow and interact



## Dashboard and organizations (members)



## Announcements (members)



## Events (members)
ev-list-title = Veranstaltungen
ev-list-empty = Diese Organisation hat noch keine Veranstaltungen.
ev-list-when = Beginn
ev-list-participants = Teilnehmende
ev-list-actions = Aktionen
ev-edit-link = Bearbeiten
ev-new-title = Neue Veranstaltung
ev-edit-title = Veranstaltung bearbeiten
ev-back-to-list = Alle Veranstaltungen der Organisation
ev-back-to-event = Zurück zur Veranstaltung
ev-is-cancelled = Abgesagt
ev-public-page = Öffentliche Seite
ev-participants-link = Teilnehmende
ev-title = Titel
ev-description = Beschreibung
ev-description-hint = Markdown: **fett**, *kursiv*, [Link](https://example.org), Listen mit „-“. #Hashtags werden zu Schlagwörtern.
ev-when = Datum und Uhrzeit
ev-all-day = Ganztägig
ev-all-day-hint = Uhrzeiten werden ignoriert; die Veranstaltung dauert die ganzen Tage vom Start- bis zum Enddatum.
ev-start-date = Startdatum
ev-start-time = Beginn (Uhrzeit)
ev-end-date = Enddatum
ev-end-time = Ende (Uhrzeit)
ev-end-hint = Ohne Ende dauert die Veranstaltung eine Stunde (ganztägig: den Starttag).
ev-timezone = Zeitzone
ev-timezone-hint = Die Zeitzone der Zeiten oben, etwa Europe/Berlin.
ev-recurrence = Wiederholung
ev-repeat = Wiederholt sich
ev-repeat-hint = Wiederholungen richten sich nach Startdatum und -uhrzeit.
ev-repeat-none = Keine Wiederholung
ev-repeat-daily = Jeden Tag
ev-repeat-weekly = Jede Woche am Wochentag des Beginns
ev-repeat-biweekly = Alle zwei Wochen am Wochentag des Beginns
ev-repeat-monthly-date = Jeden Monat am selben Datum
ev-repeat-monthly-weekday = Jeden Monat am selben Wochentag (etwa am zweiten Dienstag)
ev-repeat-keep = Importierte Regel beibehalten ({ $rule })
ev-repeat-until = Letzter Termin (Datum)
ev-repeat-count = Anzahl der Termine
ev-repeat-end-hint = Geben Sie ein letztes Datum oder eine Anzahl an, oder keines von beiden für eine Reihe ohne Ende.
ev-place = Ort
ev-place-hint = Eine Adresse, ein Online-Link oder beides.
ev-place-name = Name des Orts
ev-street = Straße und Hausnummer
ev-postal-code = Postleitzahl
ev-city = Stadt
ev-country = Land
ev-online-url = Online-Link
ev-online-url-hint = Ein https-Link zur Videokonferenz oder zum Stream.
ev-about = Thema
ev-category = Kategorie
ev-category-none = Keine Kategorie
ev-tags = Schlagwörter
ev-tags-hint = Durch Kommas getrennt, etwa linux, opendata.
ev-related-projects = Zugehörige Projekte
ev-co-organizers = Mitveranstaltende
ev-participation = Teilnahme
ev-capacity = Plätze
ev-capacity-hint = Höchstzahl der Teilnehmenden; leer für unbegrenzt.
ev-join-mode = Art der Teilnahme
ev-join-free = Offen: alle können teilnehmen
ev-join-restricted = Mit Freigabe: Sie bestätigen jede Teilnahme
ev-join-external = Anmeldung anderswo (Link unten)
ev-join-invite = Nur auf Einladung
ev-registration-url = Anmeldelink
ev-registration-url-hint = Nötig bei Anmeldung anderswo: ein https- oder mailto:-Link.
ev-publish = Veranstaltung veröffentlichen
ev-banner = Titelbild
ev-banner-image = Bilddatei
ev-banner-alt = Alternativtext
ev-banner-alt-hint = Beschreiben Sie das Bild für Menschen, die es nicht sehen können.
ev-banner-save = Titelbild speichern
ev-banner-remove = Titelbild entfernen
ev-cancel-heading = Veranstaltung absagen
ev-cancel-hint = Die Veranstaltung bleibt sichtbar und wird als abgesagt markiert; Folgende und Teilnehmende werden benachrichtigt.
ev-cancel-submit = Veranstaltung absagen
ev-import-heading = Aus einem Kalender importieren (iCalendar)
ev-import-hint = Jedes VEVENT wird eine Veranstaltung; früher importierte werden anhand ihrer UID aktualisiert.
ev-import-file = Kalenderdatei (.ics)
ev-import-upload = Hochladen und importieren
ev-import-url = Kalenderadresse (URL)
ev-import-fetch = Abrufen und importieren
ev-import-done = Import abgeschlossen.
ev-import-created = Neu angelegt
ev-import-updated = Aktualisiert
ev-import-refused = Diese Einträge wurden nicht importiert:
ev-import-entry-error = Eintrag { $n }: { $error }
ev-import-empty = Die Datei ist leer.
ev-import-not-utf8 = Die Datei ist keine UTF-8-Textdatei.
ev-participants-title = Teilnehmende
ev-participants-empty = Noch niemand nimmt teil.
ev-participant = Teilnehmende Person
ev-participant-state = Stand
ev-participant-since = Seit
ev-approve = Bestätigen
ev-reject = Ablehnen
ev-state-pending = wartet auf Freigabe
ev-state-accepted = bestätigt
ev-state-rejected = abgelehnt
ev-err-whole-number = Bitte geben Sie eine ganze Zahl ein.
ev-err-until-or-count = Bitte geben Sie entweder ein letztes Datum oder eine Anzahl an, nicht beides.
ev-err-date = Bitte geben Sie ein Datum ein.
ev-err-count = Bitte geben Sie eine Zahl von 1 bis 1000 ein.
ev-err-end-before-start = Das Ende liegt vor dem Beginn.
ev-err-alt = Bitte beschreiben Sie das Bild.
ev-sign-in-first = Bitte melden Sie sich zuerst an.
done-event-created = Die Veranstaltung ist veröffentlicht.
done-event-saved = Die Änderungen sind gespeichert und an die Folgenden gesendet.
done-event-cancelled = Die Veranstaltung ist abgesagt.
done-banner-saved = Das Titelbild ist gespeichert.
done-participant-approved = Die Teilnahme ist bestätigt.
done-participant-rejected = Die Teilnahme ist abgelehnt.
ev-cat-arts = Kunst
ev-cat-book-clubs = Lesekreise
ev-cat-business = Wirtschaft
ev-cat-causes = Engagement
ev-cat-comedy = Comedy
ev-cat-crafts = Handwerk und Basteln
ev-cat-food-drink = Essen und Trinken
ev-cat-health = Gesundheit
ev-cat-music = Musik
ev-cat-auto-boat-air = Autos, Boote und Flugzeuge
ev-cat-community = Gemeinschaft
ev-cat-family-education = Familie und Bildung
ev-cat-fashion-beauty = Mode und Schönheit
ev-cat-film-media = Film und Medien
ev-cat-games = Spiele
ev-cat-language-culture = Sprache und Kultur
ev-cat-learning = Lernen
ev-cat-lgbtq = LGBTQ
ev-cat-movements-politics = Bewegungen und Politik
ev-cat-networking = Netzwerken
ev-cat-party = Feiern
ev-cat-performing-visual-arts = Darstellende und bildende Kunst
ev-cat-pets = Haustiere
ev-cat-photography = Fotografie
ev-cat-outdoors-adventure = Draußen und Abenteuer
ev-cat-spirituality-religion-beliefs = Spiritualität, Religion und Weltanschauung
ev-cat-science-tech = Wissenschaft und Technik
ev-cat-sports = Sport
ev-cat-theatre = Theater
ev-cat-meeting = Treffen



## Projects (members)
pj-list-title = Projekte
pj-list-empty = Diese Organisation hat noch keine Projekte.
pj-new-title = Neues Projekt
pj-edit-title = Projekt bearbeiten
pj-back-to-list = Alle Projekte der Organisation
pj-back-to-project = Zurück zum Projekt
pj-public-page = Öffentliche Seite
pj-releases-link = Versionen
pj-import-heading = publiccode.yml importieren
pj-import-hint = Laden Sie die Datei hoch oder geben Sie ihre Adresse an; die Angaben des Projekts werden daraus übernommen. Ein erneuter Import derselben Adresse aktualisiert das Projekt.
pj-import-file = publiccode.yml-Datei
pj-import-url = Adresse einer publiccode.yml (URL)
pj-import-slug = Kurzname (optional)
pj-import-submit = Importieren
pj-import-nothing = Bitte wählen Sie eine Datei oder geben Sie eine Adresse an.
pj-import-not-utf8 = Die Datei ist keine UTF-8-Textdatei.
pj-form-heading = Oder füllen Sie das Formular aus
pj-name = Name
pj-slug = Kurzname
pj-slug-hint = Teil der Adresse und des Handles des Projekts, etwa mein-projekt; leer wird er aus dem Namen gebildet. Er lässt sich später nicht ändern.
pj-summary = Kurzbeschreibung
pj-summary-hint = Ein Satz, reiner Text.
pj-description = Beschreibung
pj-description-hint = Markdown.
pj-links = Links
pj-repository = Quellcode-Repository
pj-website = Website
pj-logo = Logo (URL)
pj-logo-hint = Eine https-Adresse des Logobilds.
pj-facts = Angaben
pj-license = Lizenz
pj-license-hint = Ein SPDX-Ausdruck, etwa AGPL-3.0-or-later oder Apache-2.0.
pj-languages = Programmiersprachen
pj-topics = Themen
pj-platforms = Plattformen
pj-list-hint = Durch Kommas getrennt.
pj-development-status = Entwicklungsstand
pj-maintenance-type = Wartung
pj-software-type = Art der Software
pj-not-given = Keine Angabe
pj-create = Projekt anlegen
pj-releases-title = Versionen
pj-releases-known = Veröffentlichte Versionen
pj-releases-empty = Noch keine Version.
pj-release-new = Version veröffentlichen
pj-release-version = Version
pj-release-version-hint = Etwa 1.4.0.
pj-release-date = Veröffentlichungsdatum
pj-release-date-hint = Leer bedeutet heute.
pj-release-notes = Versionshinweise
pj-release-notes-hint = Markdown; wird mit der Version an die Folgenden des Projekts gesendet.
pj-release-publish = Version veröffentlichen
done-project-created = Das Projekt ist angelegt.
done-project-imported = Das Projekt ist importiert.
done-project-saved = Die Änderungen sind gespeichert und an die Folgenden gesendet.
done-release-published = Die Version ist veröffentlicht.



## Account: profile, password, tokens, sessions, password reset



## Administration and registration



## E-mail



## Media



