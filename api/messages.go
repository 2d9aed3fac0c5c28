package api

// msg is a message in Indonesian and English.
type msg struct{ id, en string }

func (m msg) in(lang string) string {
	if lang == "en" {
		return m.en
	}
	return m.id
}

// messages hold the general message of each error code and of specific keys.
var messages = map[string]msg{
	"bad_request":            {"Permintaan tidak dapat dibaca.", "The request could not be read."},
	"unauthenticated":        {"Silakan masuk terlebih dahulu.", "Please sign in first."},
	"forbidden":              {"Anda tidak berwenang melakukan tindakan ini.", "You are not allowed to do this."},
	"not_found":              {"Data tidak ditemukan.", "Not found."},
	"conflict":               {"Data sudah ada atau telah diubah orang lain; muat ulang lalu coba lagi.", "This already exists or was changed by someone else; reload and try again."},
	"too_large":              {"Berkas terlalu besar.", "The file is too large."},
	"unsupported_media_type": {"Jenis berkas tidak didukung; unggah PDF, PNG, JPEG atau dokumen perkantoran.", "Unsupported file type; upload a PDF, PNG, JPEG or office document."},
	"document_type":          {"Dokumen pendelegasian harus berupa PDF, PNG atau JPEG.", "A delegation document must be a PDF, PNG or JPEG."},
	"validation_failed":      {"Beberapa isian tidak valid.", "Some fields are not valid."},
	"rate_limited":           {"Terlalu banyak percobaan masuk yang gagal; coba lagi nanti.", "Too many failed sign-in attempts; try again later."},
	"unavailable":            {"Basis data sedang tidak dapat dihubungi; coba lagi sebentar lagi.", "The database cannot be reached; try again shortly."},
	"period_closed":          {"Periode ini sudah ditutup; angkanya final dan tidak dapat diubah.", "This period is closed; its figures are final and cannot change."},
	"deadline_passed":        {"Batas waktu periode ini sudah lewat untuk Pemda ini; minta perpanjangan kepada koordinator.", "This period's deadline has passed for this Pemda; ask the coordinator for an extension."},
	"internal":               {"Terjadi kesalahan pada server.", "Something went wrong on the server."},

	"bad_credentials": {"E-mail atau kata sandi salah.", "Wrong e-mail or password."},
	"malformed_json":  {"Isi permintaan bukan JSON yang valid.", "The request body is not valid JSON."},
	"invalid_text":    {"Permintaan memuat teks yang tidak valid (bukan UTF-8 atau berisi karakter NUL).", "The request holds text that is not valid (not UTF-8, or with a NUL character)."},
	"bad_year":        {"Tahun pada alamat tidak valid.", "The year in the address is not valid."},
	"bad_id":          {"ID pada alamat tidak valid.", "The ID in the address is not valid."},
	"not_multipart":   {"Unggahan harus berupa multipart/form-data dengan kolom \"file\".", "Uploads must be multipart/form-data with a \"file\" field."},
	"unknown_part":    {"Unggahan memuat kolom formulir yang tidak dikenal.", "The upload holds a form field this request does not take."},
	"csrf":            {"Token CSRF tidak ada atau tidak cocok.", "The CSRF token is missing or does not match."},
	"national_scope":  {"Hanya admin atau koordinator nasional yang dapat mengubah periode, katalog dan zona.", "Only an admin or a national coordinator can change periods, the catalogue and zones."},
	"role":            {"Peran Anda tidak mengizinkan tindakan ini.", "Your role does not allow this."},
	"region_scope":    {"Pemda ini berada di luar wilayah tugas Anda.", "This Pemda is outside the area you work on."},
	"own_evidence":    {"Anda tidak dapat memverifikasi dokumen yang Anda unggah sendiri.", "You cannot review a document you uploaded yourself."},
	"own_claim":       {"Anda tidak dapat memverifikasi klaim yang Anda ajukan sendiri.", "You cannot review a claim you made yourself."},

	// Commitments and signing.
	"signing_unavailable": {"Layanan tanda tangan elektronik belum dikonfigurasi.", "Electronic signing is not configured."},
	"not_your_slot":       {"Slot tanda tangan ini tidak ditugaskan kepada Anda.", "This signature slot is not assigned to you."},
	"signing_locked":      {"Terlalu banyak frasa sandi tanda tangan yang salah; coba lagi nanti.", "Too many wrong signing passphrases; try again later."},
	"already_signed":      {"Slot ini sudah ditandatangani.", "This slot has already been signed."},
	"already_initialled":  {"Slot ini sudah diparaf; paraf hanya sekali, tanda tangan menyusul.", "This slot has already been initialled; a paraf is made once, the signature follows."},
	"deputy_initial_only": {"Anda mewakili pejabat slot ini tanpa pelimpahan yang tercatat: Anda hanya dapat memaraf.", "You act for this slot's office holder without a recorded delegation: you may only initial."},
	"commitment_void":     {"Komitmen ini telah dibatalkan; tidak ada lagi yang dapat diubah.", "This commitment has been voided; nothing more can be done to it."},
	"reissue_needed":      {"Dokumen ini disahkan sebelum slot memiliki kolom paraf; batalkan dan buat komitmen pengganti.", "This document was certified before slots had a paraf field; void it and make a replacement."},
	"ocsp_request":        {"Permintaan OCSP tidak dapat dibaca.", "The OCSP request could not be read."},

	// File storage (readiness).
	"storage_unavailable": {"Penyimpanan berkas sedang tidak dapat dihubungi; coba lagi sebentar lagi.", "The file storage cannot be reached; try again shortly."},

	// Limits on work and on where requests come from.
	"busy":         {"Server sedang sibuk; coba lagi sebentar lagi.", "The server is busy; try again shortly."},
	"cross_origin": {"Permintaan dari situs lain ditolak.", "Requests from another site are refused."},
	"metrics":      {"Metrik hanya untuk alamat yang dikonfigurasi atau dengan token metrik.", "Metrics are served only to configured addresses or with the metrics token."},
	"json_only":    {"Isi permintaan harus berupa application/json.", "The request body must be application/json."},

	// Spreadsheets.
	"not_spreadsheet":  {"Berkas ini bukan lembar kerja XLSX atau CSV; simpan sebagai .xlsx atau .csv lalu unggah lagi.", "This file is not an XLSX or CSV spreadsheet; save it as .xlsx or .csv and upload it again."},
	"import_too_large": {"Berkas terlalu besar untuk diimpor (paling besar 32 MB, 200.000 baris, dan isi XLSX yang terurai paling besar 512 MB).", "The file is too large to import (at most 32 MB, 200,000 rows, and XLSX contents unpacking to at most 512 MB)."},
	"import_refused":   {"Ada baris yang ditolak; tidak ada yang diubah. Perbaiki baris bertanda lalu impor lagi.", "Some rows were refused; nothing was changed. Fix the marked rows and import again."},

	// Discussions and notifications.
	"not_your_comment":    {"Hanya penulis komentar yang dapat mengubah atau menghapusnya.", "Only a comment's author can change or delete it."},
	"comment_edit_window": {"Komentar hanya dapat diubah dalam 15 menit setelah ditulis.", "A comment can be edited only within 15 minutes of writing it."},
	"comment_answered":    {"Komentar ini sudah dijawab sehingga tidak dapat dihapus.", "This comment has been answered, so it cannot be deleted."},
	"bad_token":           {"Tautan berhenti berlangganan tidak valid.", "The unsubscribe link is not valid."},
}

// fieldMessages explain why a field is invalid.
var fieldMessages = map[string]msg{
	"applies_to":               {"Pilih satu atau lebih dari: province, regency, city.", "Choose one or more of: province, regency, city."},
	"unknown_indicator":        {"Indikator ini tidak ada pada periode tersebut.", "This indicator does not exist in the period."},
	"parent_is_sub_indicator":  {"Subindikator tidak dapat memiliki subindikator.", "A sub-indicator cannot have sub-indicators."},
	"parent_area":              {"Subindikator berada pada area indikator induknya.", "A sub-indicator belongs to its parent's area."},
	"indicator_has_items":      {"Indikator ini sudah memiliki isian Pemda; subindikator tidak dapat ditambahkan.", "This indicator already holds Pemda entries; sub-indicators cannot be added."},
	"sub_indicator_area":       {"Subindikator tidak dapat dipindah ke area lain; pindahkan indikator induknya.", "A sub-indicator cannot move to another area; move its parent."},
	"item_not_applicable":      {"Item ini tidak berlaku untuk Pemda ini.", "This item does not apply to this Pemda."},
	"catalogue_not_applicable": {"Menurut katalog, item ini memang tidak berlaku untuk jenis Pemda ini.", "By the catalogue this item does not apply to this kind of Pemda."},
	"already_applicable":       {"Item ini sudah berlaku.", "This item already applies."},
	"already_not_applicable":   {"Item ini sudah ditandai tidak berlaku.", "This item is already marked not applicable."},
	"copy_same_year":           {"Katalog tidak dapat disalin dari tahun yang sama.", "A catalogue cannot be copied from the same year."},
	"unknown_period":           {"Periode ini tidak ada.", "This period does not exist."},
	"province_role":            {"Hanya koordinator dan verifikator yang dapat dibatasi pada satu provinsi.", "Only coordinators and reviewers can be limited to a province."},
	"required":                 {"Wajib diisi.", "Required."},
	"too_long":                 {"Terlalu panjang.", "Too long."},
	"invalid_text":             {"Teks tidak valid: bukan UTF-8 atau berisi karakter NUL.", "Not valid text: not UTF-8, or with a NUL character."},
	"number_range":             {"Bukan angka yang dapat diterima isian ini (terlalu besar, terlalu kecil, atau bukan bilangan bulat).", "Not a number this field accepts (too large, too small, or not a whole number)."},
	"percent_range":            {"Harus antara 0 dan 100.", "Must be between 0 and 100."},
	"province_code":            {"Kode provinsi terdiri dari dua angka, misalnya 62.", "A province code is two digits, e.g. 62."},
	"region_code_format":       {"Kode wilayah harus berformat Kemendagri, misalnya 62 atau 62.08.", "Region codes follow Kemendagri's format, e.g. 62 or 62.08."},
	"region_kind":              {"Jenis harus province, regency atau city.", "Kind must be province, regency or city."},
	"email_format":             {"Alamat e-mail tidak valid.", "Not a valid e-mail address."},
	"role":                     {"Peran harus admin, coordinator, operator, reviewer atau signatory.", "Role must be admin, coordinator, operator, reviewer or signatory."},
	"password_short":           {"Kata sandi minimal 10 karakter.", "The password needs at least 10 characters."},
	"required_for_operator":    {"Wajib diisi untuk operator.", "Required for operators."},
	"unknown_region":           {"Wilayah dengan kode ini tidak ada.", "No region has this code."},
	"year_range":               {"Tahun harus antara 2000 dan 2100.", "The year must be between 2000 and 2100."},
	"code_format":              {"Kode hanya boleh berisi huruf, angka, titik, garis bawah dan tanda hubung (maks. 40).", "Codes may contain letters, digits, dots, underscores and hyphens (40 at most)."},
	"weight_positive":          {"Bobot harus lebih dari 0 (maks. 10.000).", "The weight must be above 0 (10,000 at most)."},
	"unknown_area":             {"Area dengan kode ini tidak ada pada periode ini.", "This period has no area with this code."},
	"reject_reason":            {"Alasan penolakan wajib diisi.", "A rejection needs a reason."},
	"decision":                 {"Keputusan harus approve atau reject.", "The decision must be approve or reject."},
	"verified_above_claim":     {"Nilai terverifikasi tidak boleh melebihi klaim.", "The verified value cannot exceed the claim."},
	"evidence_unreviewed":      {"Setiap dokumen bukti harus diterima atau ditolak sebelum klaim disetujui.", "Every document must be accepted or rejected before the claim is approved."},
	"accept_with_approval":     {"Dokumen hanya dapat diterima bersama persetujuan.", "Documents can only be accepted together with an approval."},
	"evidence_required":        {"Klaim di atas 0 memerlukan bukti dukung sebelum disetujui.", "A claim above 0 needs evidence before it can be approved."},
	"total_positive":           {"Jumlah kewenangan harus lebih dari 0.", "The total must be above 0."},
	"from_list":                {"Jumlah ini dihitung dari daftar izin; ubah daftarnya.", "These counts follow from the list of permits; change the list."},
	"remediation_status":       {"Harus salah satu dari: planned, in_progress, done.", "Must be one of planned, in_progress, done."},
	"permit_duplicate":         {"Izin ini sudah ada di daftar.", "This permit is already on the list."},
	"permits_too_many":         {"Daftar izin terlalu panjang (paling banyak 2000).", "The list of permits is too long (at most 2000)."},
	"delegated_range":          {"Harus antara 0 dan jumlah kewenangan.", "Must be between 0 and the total."},
	"empty_file":               {"Berkas kosong.", "The file is empty."},
	"bands_cover":              {"Zona harus mencakup 0 sampai 100 tanpa celah atau tumpang tindih, dengan kunci yang berbeda.", "Bands must cover 0 to 100 without gaps or overlaps, with distinct keys."},
	"document_kind":            {"Jenis dokumen harus regulation (peraturan) atau annex (lampiran).", "The kind of document must be regulation or annex."},
	"evidence_not_current":     {"Dokumen yang diganti harus dokumen terkini dari butir yang sama.", "The replaced document must be a current document of the same item."},
	"evidence_status":          {"Status harus accepted, rejected atau waiting.", "Status must be accepted, rejected or waiting."},
	"date_format":              {"Gunakan format tanggal YYYY-MM-DD.", "Use the date format YYYY-MM-DD."},
	"own_admin_role":           {"Anda tidak dapat melepas peran admin Anda sendiri.", "You cannot take away your own admin role."},
	"own_account":              {"Anda tidak dapat menonaktifkan akun Anda sendiri.", "You cannot deactivate your own account."},
	"wrong_password":           {"Kata sandi lama salah.", "The current password is wrong."},
	"integer":                  {"Harus berupa bilangan bulat.", "Must be a whole number."},
	"time_format":              {"Gunakan format waktu RFC 3339 atau YYYY-MM-DD.", "Use RFC 3339 or YYYY-MM-DD."},
	"limit_range":              {"Harus antara 1 dan 1000.", "Must be between 1 and 1000."},
	"preset":                   {"Preset tidak dikenal; gunakan default atau kpk.", "Unknown preset; use default or kpk."},
	"missing_column":           {"Kolom wajib ini tidak ditemukan pada baris judul lembar kerja.", "This required column is not in the sheet's header row."},
	"csv_separator":            {"Pemisah CSV harus , atau ;.", "The CSV separator must be , or ;."},
	"boolean":                  {"Harus true atau false.", "Must be true or false."},
	"number_format":            {"Bukan angka yang dapat dibaca.", "Not a number that can be read."},
	"area_mismatch":            {"Nama atau bobot area ini berbeda dari baris sebelumnya untuk area yang sama.", "This area's name or weight differs from an earlier row for the same area."},
	"duplicate_row":            {"Baris ini mengulang kode yang sudah ada di baris sebelumnya.", "This row repeats a code already given on an earlier row."},
	"parent_change":            {"Induk indikator yang sudah ada tidak dapat diubah melalui impor.", "The parent of an existing indicator cannot be changed by an import."},
	"not_leaf":                 {"Indikator ini memiliki subindikator; klaim diisi pada subindikatornya.", "This indicator has sub-indicators; claims go on its sub-indicators."},
	"stale_version":            {"Item ini telah diubah orang lain sejak berkas diekspor; ekspor ulang lalu coba lagi.", "This item was changed by someone else since the file was exported; export again and retry."},
	"period_closed":            {"Periode ini sudah ditutup; angkanya final.", "This period is closed; its figures are final."},
	"deadline_passed":          {"Batas waktu periode ini sudah lewat untuk Pemda ini.", "This period's deadline has passed for this Pemda."},
	"region_scope":             {"Pemda ini berada di luar wilayah tugas Anda.", "This Pemda is outside the area you work on."},
	"logo_type":                {"Logo harus berupa berkas PNG atau JPEG.", "The logo must be a PNG or JPEG file."},
	"language":                 {"Bahasa harus id atau en.", "The language must be id or en."},
	"notification_limit":       {"Harus antara 1 dan 200.", "Must be between 1 and 200."},

	// Commitments and signing.
	"commitment_region":      {"Komitmen dibuat untuk kabupaten atau kota; untuk provinsi buat komitmen bersama (kind joint).", "Commitments are made for a regency or city; for a province make a joint commitment (kind joint)."},
	"unknown_user":           {"Tidak ada pengguna dengan e-mail ini.", "No user has this e-mail address."},
	"not_signatory":          {"Pengguna ini tidak berperan sebagai penanda tangan (signatory).", "This user does not have the signatory role."},
	"sign_mode":              {"Mode harus sign (tanda tangan) atau initial (paraf).", "The mode must be sign or initial."},
	"signature_png":          {"Gambar tanda tangan harus PNG dalam base64, paling besar 512 KB dan 4000 piksel.", "The signature image must be a base64 PNG of at most 512 KB and 4000 pixels."},
	"wrong_passphrase":       {"Frasa sandi tanda tangan salah.", "Wrong signing passphrase."},
	"no_signing_key":         {"Anda belum membuat kunci tanda tangan; atur frasa sandi tanda tangan terlebih dahulu.", "You have no signing key yet; set a signing passphrase first."},
	"passphrase_short":       {"Frasa sandi tanda tangan minimal 8 karakter.", "The signing passphrase needs at least 8 characters."},
	"passphrase_is_password": {"Frasa sandi tanda tangan harus berbeda dari kata sandi masuk.", "The signing passphrase must differ from the sign-in password."},
	"pkcs12_invalid":         {"Berkas bukan PKCS#12 yang berisi satu kunci dan sertifikatnya.", "The file is not a PKCS#12 file holding one key and its certificate."},
	"pkcs12_password":        {"Kata sandi berkas PKCS#12 salah.", "Wrong password for the PKCS#12 file."},
	"certificate_expired":    {"Sertifikat sudah kedaluwarsa.", "The certificate has expired."},
	"commitment_kind":        {"Jenis komitmen harus regional atau joint.", "The kind of commitment must be regional or joint."},
	"joint_region":           {"Komitmen bersama dibuat untuk provinsi.", "A joint commitment is made for a province."},
	"joint_no_members":       {"Provinsi ini belum memiliki kabupaten atau kota.", "This province has no regencies or cities yet."},
	"delegation_kind":        {"Jenis pelimpahan harus an (atas nama) atau surat_kuasa.", "The kind of delegation must be an (on behalf) or surat_kuasa (power of attorney)."},
	"delegation_principal":   {"Pejabat yang bersangkutan menandatangani sendiri; pelimpahan hanya untuk yang mewakilinya.", "The office holder signs in person; a delegation is only for someone acting for them."},
	"slot_unassigned":        {"Tetapkan penanda tangan slot ini terlebih dahulu.", "Assign this slot's signer first."},
	"replacement":            {"Pengganti harus komitmen lain yang tidak dibatalkan.", "The replacement must be another commitment that is not void."},
	"revocation_reason":      {"Alasan harus unspecified, key_compromise, affiliation_changed, superseded atau cessation_of_operation.", "The reason must be unspecified, key_compromise, affiliation_changed, superseded or cessation_of_operation."},
	"batch_size":             {"Pilih 1 sampai 50 dokumen.", "Choose 1 to 50 documents."},
	"batch_duplicate":        {"Dokumen dan slot ini dipilih dua kali.", "This document and slot were chosen twice."},
	"batch_not_found":        {"Komitmen atau slot ini tidak ada, atau tidak dapat Anda lihat.", "This commitment or slot does not exist, or you may not see it."},
	"not_your_slot":          {"Slot tanda tangan ini tidak ditugaskan kepada Anda.", "This signature slot is not assigned to you."},
	"already_signed":         {"Slot ini sudah ditandatangani.", "This slot has already been signed."},
	"already_initialled":     {"Slot ini sudah diparaf.", "This slot has already been initialled."},
	"deputy_initial_only":    {"Anda mewakili pejabat slot ini tanpa pelimpahan yang tercatat: hanya paraf.", "You act for the office holder without a recorded delegation: initials only."},
	"commitment_void":        {"Komitmen ini telah dibatalkan.", "This commitment has been voided."},
	"reissue_needed":         {"Dokumen ini perlu diterbitkan ulang sebelum diparaf.", "This document must be reissued before it can be initialled."},
	"conflict":               {"Komitmen ini berubah sementara itu; muat ulang lalu coba lagi.", "This commitment changed meanwhile; reload and try again."},
}

func message(lang, code, key string) string {
	if m, ok := messages[key]; ok && key != "" {
		return m.in(lang)
	}
	if m, ok := messages[code]; ok {
		return m.in(lang)
	}
	return code
}

func fieldMessage(lang, key string) string {
	if m, ok := fieldMessages[key]; ok {
		return m.in(lang)
	}
	return key
}
