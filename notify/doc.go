// Package notify tells people what happened in Pantau outside the request that did it: the
// words of notifications in Indonesian and English (titles.go), e-mails rendered from them
// (mail.go), the outbox sender that delivers them through SMTP after their transaction
// committed (outbox.go, smtp.go), and the signed unsubscribe links (tokens.go).
//
// Another channel (a WhatsApp gateway, say) would be a second sender over the same outbox:
// it reads due rows with models.DB.DueMail's kind of query, renders with Render, and records
// each delivery with the same claim / sent / failed steps, so that it inherits the retries and
// the no-duplicate rule. No such channel is built in.
package notify
