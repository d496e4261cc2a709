/* A connect-proxy registered on its own, fronting "web". */
service {
  name = "web-sidecar-proxy"
  kind = "connect-proxy"
  port = 8181
  proxy {
    destination_service_name = "web"
    mesh_gateway {
      mode = "remote"
    }
    upstreams = [
      {
        destination_name = "api"
        datacenter = "dc2"
        local_bind_port = 10000
      },
    ]
  }
}
