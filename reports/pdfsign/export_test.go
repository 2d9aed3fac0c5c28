package pdfsign

// SignLegacy signs as Pantau did before PAdES (SubFilter adbe.pkcs7.detached), for tests of
// how such files verify.
func SignLegacy(pdf []byte, req Request) ([]byte, error) {
	req.legacy = true
	return Sign(pdf, req)
}
