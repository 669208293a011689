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
search-title = Suche
search-label = Suchen nach
search-hint = Organisationen, Projekte, Veranstaltungen und Ankündigungen, von dieser Instanz und den Servern, denen sie folgt. Deutsche und englische Wortformen werden mitgefunden.
search-submit = Suchen
search-kind-label = Anzeigen
search-filter-label = Ergebnisse nach Art filtern
search-kind-all = Alle
search-kind-organization = Organisationen
search-kind-project = Projekte
search-kind-event = Veranstaltungen
search-kind-announcement = Ankündigungen
search-type-organization = Organisation
search-type-project = Projekt
search-type-event = Veranstaltung
search-type-announcement = Ankündigung
search-remote = von einem anderen Server
search-empty = Geben Sie ein oder mehrere Wörter ein.
search-none = Nichts gefunden für „{ $q }“. Versuchen Sie weniger oder andere Wörter oder eine andere Art.
search-count = { $n ->
    [one] Ein Ergebnis für „{ $q }“
   *[other] { $n } Ergebnisse für „{ $q }“
}
search-pages-label = Ergebnisseiten
search-prev = Vorherige Seite
search-next = Nächste Seite
search-page = Seite { $n }



## Embedded calendar



## Follow and interact
interact-title = Folgen oder interagieren
interact-intro-actor = Folgen Sie { $name } von Ihrem eigenen Server im Fediverse (Mastodon, Friendica, Misskey und andere).
interact-intro-object = Antworten Sie auf „{ $name }“, markieren oder teilen Sie es von Ihrem eigenen Server im Fediverse (Mastodon, Friendica, Misskey und andere).
interact-view = Hier ansehen.
interact-copy-handle = Handle zum Suchen auf Ihrem Server
interact-copy-uri = Adresse zum Einfügen in die Suche Ihres Servers
interact-handle-label = Ihr Handle
interact-handle-hint = Ihre Adresse im Fediverse, etwa @name@example.social. Wir fragen Ihren Server, wohin wir Sie schicken sollen, und leiten Sie dorthin weiter.
interact-submit = Auf meinem Server fortfahren
interact-error-handle = Bitte geben Sie Ihr Handle in der Form @name@server ein, etwa @anna@example.social.
interact-error-unknown = Ihr Server kennt das Handle { $handle } nicht. Bitte prüfen Sie die Schreibweise.
interact-error-no-template = Ihr Server { $server } bietet keine Möglichkeit, von außen zu folgen oder zu interagieren. Bitte suchen Sie stattdessen auf Ihrem Server nach der Adresse oben.
interact-error-unreachable = Ihr Server { $server } war nicht erreichbar. Bitte versuchen Sie es später noch einmal oder suchen Sie auf Ihrem Server nach der Adresse oben.
interact-error-limited = Zu viele Versuche. Bitte warten Sie einige Minuten und versuchen Sie es dann erneut.
interact-box-heading = Folgen oder interagieren
interact-box-handle = Suchen Sie auf Ihrem Server nach diesem Handle:
interact-box-link = Von Ihrem eigenen Server folgen oder interagieren



## Dashboard and organizations (members)



## Announcements (members)



## Events (members)



## Projects (members)



## Account: profile, password, tokens, sessions, password reset



## Administration and registration



## E-mail



## Media



