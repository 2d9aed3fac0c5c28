package notify

import (
	"bytes"
	htmltemplate "html/template"
	"net/url"
	texttemplate "text/template"

	"github.com/pantau-id/pantau/models"
)

// Mail is a rendered e-mail: the subject, a plain-text and an HTML body, and the link that
// turns off its category.
type Mail struct {
	Subject, Text, HTML string
	Unsubscribe         string
}

// mailView is what the templates show.
type mailView struct {
	Name, Title, Quote, Link, Unsubscribe string
	T                                     map[string]string
}

// mailWords are the fixed words of an e-mail, per language.
var mailWords = map[string]map[string]string{
	"id": {"hello": "Yth.", "open": "Buka di Pantau", "quote": "Catatan", "why": "Anda menerima e-mail ini karena notifikasi kategori \"{category}\" aktif.",
		"unsubscribe": "Berhenti menerima e-mail kategori ini", "rejections": "penolakan", "comments": "komentar", "reminders": "pengingat", "digest": "ringkasan mingguan"},
	"en": {"hello": "Dear", "open": "Open in Pantau", "quote": "Note", "why": "You receive this e-mail because \"{category}\" e-mails are on.",
		"unsubscribe": "Stop e-mails of this category", "rejections": "rejections", "comments": "comments", "reminders": "reminders", "digest": "weekly digest"},
}

var textMail = texttemplate.Must(texttemplate.New("text").Parse(`{{.T.hello}} {{.Name}},

{{.Title}}
{{if .Quote}}
{{.T.quote}}:
{{.Quote}}
{{end}}
{{.T.open}}: {{.Link}}

-- 
{{.T.why}}
{{.T.unsubscribe}}: {{.Unsubscribe}}
`))

var htmlMail = htmltemplate.Must(htmltemplate.New("html").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{.Title}}</title></head>
<body style="font-family: sans-serif; line-height: 1.5">
<p>{{.T.hello}} {{.Name}},</p>
<p><strong>{{.Title}}</strong></p>
{{if .Quote}}<p>{{.T.quote}}:</p><blockquote style="white-space: pre-wrap; border-left: 3px solid #ccc; margin-left: 0; padding-left: 1em">{{.Quote}}</blockquote>{{end}}
<p><a href="{{.Link}}">{{.T.open}}</a></p>
<hr>
<p style="font-size: small; color: #555">{{.T.why}}<br><a href="{{.Unsubscribe}}">{{.T.unsubscribe}}</a></p>
</body></html>
`))

// Renderer makes e-mails from outbox rows: the words in the recipient's language, links under
// the public address, the unsubscribe link signed by Tokens.
type Renderer struct {
	PublicURL string
	Tokens    *Tokens
}

// Render renders one outbox e-mail.
func (r *Renderer) Render(m *models.OutboxMail) (*Mail, error) {
	lang := m.Preferences.Language
	if lang != "en" {
		lang = "id"
	}
	words := map[string]string{}
	for k, v := range mailWords[lang] {
		words[k] = v
	}
	words["why"] = fillCategory(words["why"], words[string(m.Category)])
	out := &Mail{Subject: "[Pantau] " + Title(m.Kind, lang, m.Params),
		Unsubscribe: r.PublicURL + "/api/v1/unsubscribe?token=" + url.QueryEscape(r.Tokens.Unsubscribe(m.UserID, m.Category))}
	view := mailView{Name: m.Name, Title: Title(m.Kind, lang, m.Params), Quote: m.Params.Text, Link: r.PublicURL + m.Link,
		Unsubscribe: out.Unsubscribe, T: words}
	var text, html bytes.Buffer
	if err := textMail.Execute(&text, view); err != nil {
		return nil, err
	}
	if err := htmlMail.Execute(&html, view); err != nil {
		return nil, err
	}
	out.Text, out.HTML = text.String(), html.String()
	return out, nil
}

func fillCategory(s, category string) string {
	return string(bytes.ReplaceAll([]byte(s), []byte("{category}"), []byte(category)))
}
