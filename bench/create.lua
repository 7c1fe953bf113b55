-- wrk script for the durable mesure creations of SPEC §17's report: the plain form post of "Enregistrer une
-- nouvelle mesure" (one redb write transaction, committed durably, with the counters and the audit entry),
-- answered by a 302. Prints the count of answers that were not that 302.
local cookie = os.getenv("EMJPM_BENCH_COOKIE") or ""
local origin = os.getenv("EMJPM_BENCH_ORIGIN") or "http://127.0.0.1:3000"
local body = "id=&date_decision=05%2F03%2F2024&nature=tutelle&champ=&code_postal=62100&commune=Calais"
  .. "&genre=F&annee_naissance=1957&lieu_de_vie=domicile&numero_dossier=&numero_rg=&tribunal="
local failures = 0
request = function()
  return wrk.format("POST", "/api/mandataire/mesure/enregistrer", {
    ["Cookie"] = cookie,
    ["Origin"] = origin,
    ["Accept"] = "text/html",
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, body)
end
response = function(status)
  if status ~= 302 then failures = failures + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format("created %d\n", summary.requests))
  io.write(string.format("not_302 %d\n", failures))
end
