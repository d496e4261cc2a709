# The downstream the config entries above apply to: "web" with one upstream in dc2 and no modes of its own.
service {
  name = "web"
  port = 8080
  connect {
    sidecar_service {
      proxy {
        upstreams = [
          {
            destination_name = "api"
            datacenter = "dc2"
            local_bind_port = 10000
          },
        ]
      }
    }
  }
}
