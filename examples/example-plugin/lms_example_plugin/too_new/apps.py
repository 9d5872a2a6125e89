from sdk import PluginConfig


class TooNewConfig(PluginConfig):
    name = "lms_example_plugin.too_new"
    label = "example_too_new"
    requires_lms = ">=99"
