-- wrk script for /sante: the same Lua request callback as the autocomplete run, so that the load generator
-- (which shares the cores with the server) spends the same effort per request in both runs.
request = function()
  return wrk.format("GET", "/sante")
end
