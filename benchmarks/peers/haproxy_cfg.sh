# Sourced by the peer scripts (run.sh, churn-cpu.sh, churn-duel.sh): HAProxy 2.6 as they all measure it, SNI-routed
# TCP passthrough on one thread, routes from an SNI map file.
#
#   haproxy_cfg BIND MAP EXTRA_DEFAULTS EXTRA_GLOBAL "NAME ADDRESS:PORT"...   prints the configuration
#
# BIND: the frontend's address:port; MAP: lines "sni backend-name"; EXTRA_*: lines added to `defaults` and `global`
# (empty for the plain peer); each further argument is one backend with one server.
haproxy_cfg() {
  local bind=$1 map=$2 extra_defaults=$3 extra_global=$4; shift 4
  cat <<CFG
global
    nbthread 1
    maxconn 7000
$extra_global
defaults
    mode tcp
    timeout connect 5s
    timeout client 60s
    timeout server 60s
$extra_defaults
frontend sni
    bind $bind
    tcp-request inspect-delay 5s
    tcp-request content accept if { req.ssl_hello_type 1 }
    use_backend %[req.ssl_sni,lower,map($map)]
CFG
  local backend
  for backend in "$@"; do
    printf 'backend %s\n    server s %s\n' "${backend%% *}" "${backend#* }"
  done
}
