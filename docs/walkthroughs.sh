# Helpers for the walkthroughs of docs/services/*.md. From the repository root: `. docs/walkthroughs.sh`
# (bash, with curl and jq). Every walkthrough is also run by tools/walkthroughs/walkthroughs.int-spec.ts.

# lei DIGITS18: the LEI made of 18 digits and its ISO 17442 check digits (MOD 97-10).
lei() {
  local prefix=$1
  printf '%s%02d\n' "$prefix" $((98 - (10#$prefix % 97) * 100 % 97))
}

# isin BODY11: the ISIN made of a country code, 9 characters and its check digit (Luhn over the
# digits, a letter counting as 10 to 35).
isin() {
  local body=$1 digits='' sum=0 i c d
  for ((i = 0; i < ${#body}; i++)); do
    c=${body:i:1}
    if [[ $c == [A-Z] ]]; then digits+=$(($(printf '%d' "'$c") - 55)); else digits+=$c; fi
  done
  for ((i = ${#digits} - 1; i >= 0; i--)); do
    d=${digits:i:1}
    if (((${#digits} - 1 - i) % 2 == 0)); then
      d=$((d * 2))
      if ((d > 9)); then d=$((d - 9)); fi
    fi
    sum=$((sum + d))
  done
  printf '%s%d\n' "$body" $(((10 - sum % 10) % 10))
}

# days_ago N: the date N days before today (UTC), YYYY-MM-DD (GNU date, or BSD date on macOS).
days_ago() {
  date -u -d "-$1 days" +%F 2>/dev/null || date -u -v "-$1d" +%F
}

# business_day MARKET N: the Nth business day before today in MARKET's settlement calendar (US, EU,
# UK, CH, JP), as trade capture's calendar API gives it.
business_day() {
  local url="${TRADE_CAPTURE_URL:-http://localhost:3001}/api/v1/calendars/$1/business-days?from=$(days_ago 40)&to=$(days_ago 1)"
  local days
  if ! days=$(curl -s --fail-with-body "$url" -H 'Authorization: Bearer dev-ops') || [[ -z $days ]]; then
    echo "business_day: no calendar from $url (is the platform running?) $days" >&2
    return 1
  fi
  jq -er --argjson n "$2" '.days[-$n]' <<<"$days"
}

# poll FILTER URL [CURL ARGS...]: GETs the URL every half second until its JSON answer satisfies the
# jq FILTER, then prints the answer; gives up after WAIT_SECONDS (default 60) with the last answer.
# The services talk through Kafka, so what one of them was told reaches the others a moment later.
poll() {
  local filter=$1 url=$2 answer='' deadline=$((SECONDS + ${WAIT_SECONDS:-60}))
  shift 2
  while ((SECONDS < deadline)); do
    answer=$(curl -s "$url" "$@" || true)
    if [[ -n $answer ]] && jq -e "$filter" >/dev/null 2>&1 <<<"$answer"; then
      printf '%s\n' "$answer"
      return 0
    fi
    sleep 0.5
  done
  printf 'gave up waiting for %s at %s; last answer: %s\n' "$filter" "$url" "$answer" >&2
  return 1
}
