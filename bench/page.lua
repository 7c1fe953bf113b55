-- wrk script for the logged-in pages of SPEC §17's report: GET of EMJPM_BENCH_PATH with the session cookie of
-- EMJPM_BENCH_COOKIE (a mandataire holding 1,000 mesures). Prints the 95th percentile, which wrk's own
-- latency table leaves out, and the count of answers that were not 200.
local cookie = os.getenv("EMJPM_BENCH_COOKIE") or ""
local path = os.getenv("EMJPM_BENCH_PATH") or "/mandataire/mesures"
local failures = 0
request = function()
  return wrk.format("GET", path, { ["Cookie"] = cookie })
end
response = function(status)
  if status ~= 200 then failures = failures + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format("p95_us %d\n", latency:percentile(95)))
  io.write(string.format("not_200 %d\n", failures))
end
