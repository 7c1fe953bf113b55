-- wrk script for the login of SPEC §17's report: a plain form post of the right password (argon2id verified,
-- session written in its own redb transaction with the audit entry), answered by a 302 to the admin's home.
-- The Origin header is the server's own: other POSTs are refused (SPEC §12).
local origin = os.getenv("EMJPM_BENCH_ORIGIN") or "http://127.0.0.1:3000"
request = function()
  return wrk.format("POST", "/api/connexion", {
    ["Origin"] = origin,
    ["Accept"] = "text/html",
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, "identifiant=bench&mot_de_passe=Banc-D-Essai-2026&retour=")
end
