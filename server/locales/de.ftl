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
ann-list-title = Mitteilungen
ann-new = Mitteilung schreiben
ann-scheduled-heading = Geplant
ann-scheduled-none = Nichts ist geplant.
ann-scheduled-for = Wird veröffentlicht am
ann-edit = Bearbeiten
ann-published-heading = Veröffentlicht
ann-published-none = Noch keine Mitteilungen.
ann-col-text = Mitteilung
ann-col-published = Veröffentlicht
ann-replies = Antworten
ann-likes = Favoriten
ann-boosts = Geteilt
ann-detail-title = Mitteilung
ann-back = Zurück zu den Mitteilungen
ann-updated = Bearbeitet
ann-public-page = Öffentliche Seite
ann-delete = Diese Mitteilung löschen
ann-replies-none = Noch keine Antworten.
ann-likes-none = Noch keine Favoriten.
ann-boosts-none = Noch nicht geteilt.
ann-form-title-new = Neue Mitteilung
ann-form-title-scheduled = Geplante Mitteilung
ann-form-title-edit = Mitteilung bearbeiten
ann-preview-heading = Vorschau
ann-preview-hint = So wird die Mitteilung aussehen. Noch ist nichts veröffentlicht.
ann-content = Text
ann-content-hint = Markdown: **fett**, *kursiv*, [Link](https://example.org), #Hashtags.
ann-language = Sprache des Textes
ann-images = Bilder
ann-images-hint = Bis zu { $n } Bilder (PNG, JPEG, WebP oder GIF). Jedes Bild braucht eine Beschreibung für Menschen, die es nicht sehen können.
ann-when = Wann veröffentlichen
ann-when-now = Jetzt
ann-when-later = Später, zur unten angegebenen Zeit
ann-publish-at = Datum und Uhrzeit
ann-zone = Zeitzone
ann-submit-publish = Veröffentlichen
ann-err-content = Bitte schreiben Sie den Text der Mitteilung (höchstens 50.000 Zeichen).
ann-err-zone = Bitte geben Sie eine Zeitzone wie Europe/Berlin an.
ann-err-publish-at = Bitte geben Sie ein Datum und eine Uhrzeit in der Zukunft an.
ann-err-too-many = Eine Mitteilung kann höchstens vier Bilder haben.
done-announcement-published = Die Mitteilung ist veröffentlicht.
done-announcement-scheduled = Die Mitteilung ist geplant.
done-announcement-saved = Die Änderungen sind gespeichert und an die Folgenden gesendet.
done-announcement-deleted = Die Mitteilung ist gelöscht.
done-announcement-unscheduled = Die geplante Mitteilung ist gelöscht.



## Events (members)



## Projects (members)



## Account: profile, password, tokens, sessions, password reset



## Administration and registration



## E-mail



## Media
media-alt = Beschreibung (Alternativtext)
media-alt-n = Beschreibung von Bild { $n } (Alternativtext)
media-alt-hint = Nötig, wenn Sie ein Bild wählen: Beschreiben Sie, was es zeigt.
media-file = Bild { $n }
media-remove = Dieses Bild entfernen
media-err-alt = Bitte beschreiben Sie das Bild (höchstens { $max } Zeichen).
media-err-size = Die Datei ist zu groß (höchstens { $mib } MiB).
media-err-type = Die Datei ist kein PNG-, JPEG-, WebP- oder GIF-Bild.



