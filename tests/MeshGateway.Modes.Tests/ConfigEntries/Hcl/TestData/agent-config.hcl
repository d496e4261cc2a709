# Agent configuration: bootstrap config entries (repeated blocks become a list) and a service, snake_case.
datacenter = "dc1"
config_entries {
  bootstrap {
    kind = "proxy-defaults"
    name = "global"
    mesh_gateway {
      mode = "local"
    }
  }
  bootstrap {
    kind = "service-defaults"
    name = "web"
    upstream_config {
      overrides = [
        {
          name = "billing"
          mesh_gateway {
            mode = "none"
          }
        },
      ]
    }
  }
}
service {
  name = "web"
  port = 8080
  connect {
    sidecar_service {
      proxy {
        upstreams = [
          { destination_name = "api", datacenter = "dc2", local_bind_port = 10000 },
          { destination_name = "billing", datacenter = "dc2", local_bind_port = 10001 },
        ]
      }
    }
  }
}
