package notify

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// SMTP says how to reach the mail server: PANTAU_SMTP_URL, parsed.
type SMTP struct {
	Host string
	Port int
	// ImplicitTLS (smtps://) speaks TLS from the first byte; otherwise (smtp://) STARTTLS is
	// used when the server offers it.
	ImplicitTLS        bool
	Username, Password string
	// From is the sender address (PANTAU_MAIL_FROM).
	From string
	// Timeout bounds connecting and each command; zero means 30 s.
	Timeout time.Duration
	// RootCAs verify the server's certificate; nil means the system's.
	RootCAs *x509.CertPool
}

// ParseSMTPURL reads smtp://[user:pass@]host[:port] (port 25 by default; STARTTLS when the
// server offers it) or smtps://[user:pass@]host[:port] (port 465 by default; implicit TLS).
func ParseSMTPURL(raw, from string) (*SMTP, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" || u.Path != "" && u.Path != "/" {
		return nil, fmt.Errorf("%q is not smtp://[user:pass@]host[:port] or smtps://…", redact(raw))
	}
	s := &SMTP{Host: u.Hostname(), Port: 25, ImplicitTLS: u.Scheme == "smtps", From: from}
	if s.ImplicitTLS {
		s.Port = 465
	}
	if p := u.Port(); p != "" {
		if s.Port, err = strconv.Atoi(p); err != nil || s.Port < 1 || s.Port > 65535 {
			return nil, fmt.Errorf("%q has no valid port", redact(raw))
		}
	}
	if u.User != nil {
		s.Username = u.User.Username()
		s.Password, _ = u.User.Password()
	}
	return s, nil
}

// redact hides a URL's password.
func redact(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Redacted()
	}
	return "(unreadable URL)"
}

// dial connects, says hello, starts TLS and signs in as configured.
func (s *SMTP) dial(ctx context.Context) (*gomail.Client, error) {
	timeout := s.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	opts := []gomail.Option{gomail.WithPort(s.Port), gomail.WithTimeout(timeout),
		gomail.WithTLSConfig(&tls.Config{ServerName: s.Host, RootCAs: s.RootCAs, MinVersion: tls.VersionTLS12})}
	if s.ImplicitTLS {
		opts = append(opts, gomail.WithSSL())
	} else {
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if s.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(s.Username), gomail.WithPassword(s.Password))
	}
	c, err := gomail.NewClient(s.Host, opts...)
	if err != nil {
		return nil, err
	}
	if err := c.DialWithContext(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// message builds the MIME message of a rendered e-mail: plain text with an HTML alternative,
// the outbox row's Message-ID, and List-Unsubscribe (RFC 2369, and RFC 8058's one-click).
func (s *SMTP) message(to, name, messageID string, m *Mail, date time.Time) (*gomail.Msg, error) {
	msg := gomail.NewMsg()
	if err := msg.From(s.From); err != nil {
		return nil, fmt.Errorf("PANTAU_MAIL_FROM: %w", err)
	}
	if err := msg.AddToFormat(name, to); err != nil {
		return nil, err
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(messageID)
	msg.SetDateWithValue(date)
	msg.SetGenHeader(gomail.HeaderListUnsubscribe, "<"+m.Unsubscribe+">")
	msg.SetGenHeader(gomail.HeaderListUnsubscribePost, "List-Unsubscribe=One-Click")
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	return msg, nil
}
