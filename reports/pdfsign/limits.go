package pdfsign

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

// Bounds on what the verifier parses, so that one hostile upload to the public file check costs
// little (the goal: under a second of CPU and 64 MiB): a file with 190,000 objects in 18 MiB,
// an object stream that inflates to hundreds of MiB, deeply nested arrays, or a large file with
// a dozen signed revisions that are each read again cost pdfcpu seconds and gigabytes.
// Pantau's own documents stay far inside them: a signed commitment has a few hundred objects,
// at most one signature per slot and well under a MiB, and is checked in a few milliseconds.
// (A document Pantau issued is recognised by its SHA-256 before any of this, whatever its size.)
const (
	maxParsed     = 8 << 20         // bytes of a file Verify parses (Pantau's signed documents are far smaller)
	maxObjects    = 10000           // indirect objects, cross-reference entries, objects per object stream
	maxSignatures = 16              // /ByteRange entries: each one hashes up to the whole file
	maxDecoded    = 4 << 20         // bytes one stream (an object or cross-reference stream) may inflate to
	maxNesting    = 64              // arrays and dictionaries within each other
	objStmFirst   = 1 << 20         // bytes of an object stream's table of contents
	verifyBudget  = 1 * time.Second // time one Verify may spend reading the file and its earlier states
	// maxParsedAll bounds the bytes one Verify parses across the file and its earlier states: a
	// read holds about six times its size in live memory while it is compared with the next, so
	// that 10 MiB of reading in all stays within the 64 MiB a check may cost.
	maxParsedAll = 10 << 20
)

// errBeyondBounds says which bound a file broke.
var errBeyondBounds = errors.New("the file is beyond the verifier's bounds")

// errOverBudget: Verify's time ran out.
var errOverBudget = fmt.Errorf("%w: checking it takes more than %v", errBeyondBounds, verifyBudget)

// errOverParse: reading every earlier state would parse more than maxParsedAll.
var errOverParse = fmt.Errorf("%w: checking it takes more than %d MiB of reading", errBeyondBounds, maxParsedAll>>20)

// checkSize refuses, before anything is copied or parsed, a file larger than Verify parses:
// parsing costs a few times a file's size in memory.
func checkSize(pdf []byte) error {
	if len(pdf) > maxParsed {
		return fmt.Errorf("%w: %.1f MiB (at most %d MiB)", errBeyondBounds, float64(len(pdf))/(1<<20), maxParsed>>20)
	}
	return nil
}

// readBounded parses pdf with pdfcpu within the bounds: a cheap look at the raw bytes first
// (counting objects, cross-reference entries and signatures), then pdfcpu with tightened
// resource limits, giving up once ctx ends (Verify's time budget, shared by every read of one
// file and its earlier states).
func readBounded(ctx context.Context, pdf []byte) (*model.Context, error) {
	if err := precheck(pdf); err != nil {
		return nil, err
	}
	if ctx.Err() != nil {
		return nil, errOverBudget
	}
	conf := model.NewDefaultConfiguration()
	conf.Limits.MaxStreamBytes = int64(len(pdf))
	conf.Limits.MaxDecodeBytes = maxDecoded
	conf.Limits.MaxObjectCount = maxObjects
	conf.Limits.MaxXRefEntries = maxObjects
	conf.Limits.MaxObjectStreamCount = maxObjects
	conf.Limits.MaxObjectStreamFirst = objStmFirst
	conf.Limits.MaxRecursionDepth = maxNesting
	pc, err := pdfcpu.ReadWithContext(ctx, bytes.NewReader(pdf), conf)
	if err != nil && ctx.Err() != nil {
		return nil, errOverBudget
	}
	return pc, err
}

// xrefSubsection is the header of a classic cross-reference subsection: first object, count.
var xrefSubsection = regexp.MustCompile(`^[\x00\t\n\f\r ]*(\d{1,10})[\t ]+(\d{1,10})[\t ]*\r?\n?`)

// precheck counts, on the raw bytes, what pdfcpu would build objects for.
func precheck(pdf []byte) error {
	// "obj" also counts every "endobj": two per object.
	if n := bytes.Count(pdf, []byte("obj")); n > 2*maxObjects {
		return fmt.Errorf("%w: about %d objects (at most %d)", errBeyondBounds, n/2, maxObjects)
	}
	if n := bytes.Count(pdf, []byte("/ByteRange")); n > maxSignatures {
		return fmt.Errorf("%w: %d signatures (at most %d)", errBeyondBounds, n, maxSignatures)
	}
	if n := xrefEntries(pdf); n > maxObjects {
		return fmt.Errorf("%w: %d cross-reference entries (at most %d)", errBeyondBounds, n, maxObjects)
	}
	return nil
}

// xrefEntries adds up the counts that the classic cross-reference sections declare.
func xrefEntries(pdf []byte) int {
	total := 0
	for rest := pdf; ; {
		i := bytes.Index(rest, []byte("xref"))
		if i < 0 {
			return total
		}
		startxref := i >= 5 && string(rest[i-5:i]) == "start"
		rest = rest[i+4:]
		if startxref {
			continue
		}
		for {
			m := xrefSubsection.FindSubmatchIndex(rest)
			if m == nil {
				break
			}
			count, _ := strconv.Atoi(string(rest[m[4]:m[5]]))
			total += count
			if total > maxObjects {
				return total
			}
			rest = rest[min(m[1]+20*count, len(rest)):]
		}
	}
}
