// Package models is Pantau's store and the programme's rules: regions, periods and their
// catalogue, action items with claims, evidence and reviews, delegation, zones, scores and the
// standings that roll them up per region, the narrative, documents, commitments and signing
// keys, users and sessions, and the hash-chained audit trail.
//
// Every change goes through a method of DB that validates its input, runs in one transaction
// and records an audit event in it; reads that span several queries see one snapshot. The
// package decides what is allowed (roles, region scope, who may review what) and says why
// when it is not (ForbiddenError, ValidationError, ErrConflict, ErrNotFound). It runs on
// PostgreSQL and on the embedded SQLite database alike, and imports neither the HTTP layer
// nor the PDF encoders.
package models
