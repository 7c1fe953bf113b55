-- wrk script for the login of SPEC §17's report: a plain form post of the right password (argon2id verified,
-- session written in its own redb transaction with the audit entry), answered by a 302 to the account's home.
-- The Origin header is the server's own: other POSTs are refused (SPEC §12). The account: EMJPM_BENCH_LOGIN and
-- EMJPM_BENCH_PASSWORD (the bench's own admin by default).
local origin = os.getenv("EMJPM_BENCH_ORIGIN") or "http://127.0.0.1:3000"
local function encode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
local body = "identifiant=" .. encode(os.getenv("EMJPM_BENCH_LOGIN") or "bench")
  .. "&mot_de_passe=" .. encode(os.getenv("EMJPM_BENCH_PASSWORD") or "Banc-D-Essai-2026") .. "&retour="
request = function()
  return wrk.format("POST", "/api/connexion", {
    ["Origin"] = origin,
    ["Accept"] = "text/html",
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, body)
end
