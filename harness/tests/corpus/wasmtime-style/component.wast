;;! component_model_async = true
(module)
