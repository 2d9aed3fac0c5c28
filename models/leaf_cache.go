package models

import "sync"

// leafCache keeps, by period and region, the leaf values of the region's items as this
// process's last write to the region committed them, with the standing revision that write
// held. Every change to a region's items moves its standing's revision under the standing's
// lock, so a write whose lock gives the revision just after the cached one knows that no write
// came between: it restates the region from the cached values and its own item instead of
// reading the region's ~100 items again (see restateItem).
type leafCache struct {
	mu      sync.Mutex
	entries map[[2]int64]leafEntry
}

// leafEntry is a region's leaf values by indicator, as of a standing revision.
type leafEntry struct {
	key      [2]int64 // period, region
	revision int64
	values   map[int64]LeafValue
}

// take hands over the values cached for key at revision, leaving none behind: the caller's
// transaction changes them, and puts them back only once it has committed (put).
func (c *leafCache) take(key [2]int64, revision int64) map[int64]LeafValue {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || e.revision != revision {
		return nil
	}
	delete(c.entries, key)
	return e.values
}

// put keeps committed values, unless newer ones are kept already.
func (c *leafCache) put(e leafEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.entries[e.key]; ok && old.revision >= e.revision {
		return
	}
	if c.entries == nil {
		c.entries = map[[2]int64]leafEntry{}
	}
	c.entries[e.key] = e
}
