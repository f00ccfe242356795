// Generated from /openapi.json by web/scripts/api-types.ts (npm run web:types). Do not edit.

/** Request body and query of every operation, keyed by "METHOD /path". */
export interface Operations {
  "DELETE /account": {
    body: {
      "confirm": string;
      "password"?: string;
    };
    query: never;
  };
  "GET /account": {
    body: never;
    query: never;
  };
  "PATCH /account": {
    body: {
      "name"?: string | null;
      "email"?: string;
      "zero_retention"?: boolean;
      "locale"?: "id" | "en";
    };
    query: never;
  };
  "GET /account/export": {
    body: never;
    query: never;
  };
  "GET /account/keys": {
    body: never;
    query: never;
  };
  "POST /account/keys": {
    body: {
      "name": string;
      "scopes"?: Array<"chat" | "images" | "videos" | "account">;
      "expires_at"?: string;
      "total_limit_idr"?: number | null;
      "period_limit"?: {
        "period": "day" | "week" | "month";
        "limit_idr": number;
      } | null;
      "models"?: Array<string> | null;
      "kinds"?: Array<"chat" | "image" | "video" | "embedding"> | null;
      "requests_per_minute"?: number | null;
      "tokens_per_minute"?: number | null;
    };
    query: never;
  };
  "DELETE /account/keys/{id}": {
    body: never;
    query: never;
  };
  "PATCH /account/keys/{id}": {
    body: {
      "name"?: string;
      "total_limit_idr"?: number | null;
      "period_limit"?: {
        "period": "day" | "week" | "month";
        "limit_idr": number;
      } | null;
      "models"?: Array<string> | null;
      "kinds"?: Array<"chat" | "image" | "video" | "embedding"> | null;
      "requests_per_minute"?: number | null;
      "tokens_per_minute"?: number | null;
    };
    query: never;
  };
  "GET /account/ledger": {
    body: never;
    query: {
      "limit"?: number;
      "before"?: string;
    };
  };
  "POST /account/link-codes": {
    body: never;
    query: never;
  };
  "GET /account/links": {
    body: never;
    query: never;
  };
  "POST /account/links": {
    body: {
      "code": string;
    };
    query: never;
  };
  "POST /account/password": {
    body: {
      "current_password": string;
      "new_password": string;
    };
    query: never;
  };
  "POST /account/playground/chat/completions": {
    body: {
      "model": string;
      "messages": Array<{
        "role": "system";
        "content": string | Array<{
          "type": "text";
          "text": string;
        }>;
        "name"?: string;
      } | {
        "role": "developer";
        "content": string | Array<{
          "type": "text";
          "text": string;
        }>;
        "name"?: string;
      } | {
        "role": "user";
        "content": string | Array<{
          "type": "text";
          "text": string;
        } | {
          "type": "image_url";
          "image_url": {
            "url": string;
            "detail"?: "auto" | "low" | "high";
          };
        }>;
        "name"?: string;
      } | {
        "role": "assistant";
        "content"?: string | Array<{
          "type": "text";
          "text": string;
        }> | null;
        "tool_calls"?: Array<{
          "id": string;
          "type"?: "function";
          "function": {
            "name": string;
            "arguments": string;
          };
          "extra_content"?: {
            "google"?: {
              "thought_signature"?: string;
            };
          };
        }>;
        "reasoning_content"?: string | null;
        "refusal"?: string | null;
        "name"?: string;
      } | {
        "role": "tool";
        "content": string | Array<{
          "type": "text";
          "text": string;
        }>;
        "tool_call_id": string;
      }>;
      "stream"?: boolean | null;
      "stream_options"?: {
        "include_usage"?: boolean;
      } | null;
      "max_tokens"?: number | null;
      "max_completion_tokens"?: number | null;
      "temperature"?: number | null;
      "top_p"?: number | null;
      "n"?: number | null;
      "stop"?: string | Array<string> | null;
      "tools"?: Array<{
        "type": "function";
        "function": {
          "name": string;
          "description"?: string;
          "parameters"?: Record<string, unknown>;
          "strict"?: boolean | null;
        };
      }>;
      "tool_choice"?: "auto" | "none" | "required" | {
        "type": "function";
        "function": {
          "name": string;
        };
      };
      "response_format"?: {
        "type": "text";
      } | {
        "type": "json_object";
      } | {
        "type": "json_schema";
        "json_schema": {
          "name": string;
          "schema"?: Record<string, unknown>;
          "strict"?: boolean | null;
          "description"?: string;
        };
      };
      "seed"?: number | null;
      "frequency_penalty"?: number | null;
      "presence_penalty"?: number | null;
      "logit_bias"?: Record<string, unknown> | null;
      "logprobs"?: boolean | null;
      "top_logprobs"?: number | null;
      "reasoning_effort"?: "none" | "minimal" | "low" | "medium" | "high" | "xhigh" | "max" | null;
      "parallel_tool_calls"?: boolean | null;
      "user"?: string | null;
      "safety_identifier"?: string | null;
      "prompt_cache_key"?: string | null;
      "service_tier"?: string | null;
      "metadata"?: Record<string, unknown> | null;
      "verbosity"?: "low" | "medium" | "high" | null;
    };
    query: never;
  };
  "POST /account/redeem": {
    body: {
      "code": string;
    };
    query: never;
  };
  "GET /account/requests": {
    body: never;
    query: {
      "limit"?: number;
      "before"?: string;
      "model"?: string;
      "channel"?: "api" | "telegram" | "slack" | "discord";
      "status"?: string;
    };
  };
  "GET /account/requests/{id}": {
    body: never;
    query: never;
  };
  "GET /account/topups": {
    body: never;
    query: {
      "limit"?: number;
    };
  };
  "POST /account/topups": {
    body: {
      "amount_idr": unknown;
    };
    query: never;
  };
  "GET /account/usage": {
    body: never;
    query: {
      "from"?: string | string;
      "to"?: string | string;
      "format"?: "json" | "csv";
      "key_id"?: string;
    };
  };
  "GET /admin/accounts": {
    body: never;
    query: {
      "q": string;
      "limit"?: number;
    };
  };
  "GET /admin/accounts/{id}": {
    body: never;
    query: never;
  };
  "POST /admin/accounts/{id}/balance": {
    body: {
      "amount_idr": number;
      "reason": string;
      "idempotency_key": string;
    };
    query: never;
  };
  "POST /admin/accounts/{id}/legal-hold": {
    body: {
      "hold": boolean;
      "reason": string;
    };
    query: never;
  };
  "POST /admin/accounts/{id}/suspend": {
    body: {
      "reason": string;
    };
    query: never;
  };
  "POST /admin/accounts/{id}/unsuspend": {
    body: {
      "reason": string;
    };
    query: never;
  };
  "GET /admin/audit": {
    body: never;
    query: {
      "target_type"?: string;
      "target_id"?: string;
      "before"?: string;
      "limit"?: number;
    };
  };
  "GET /admin/health": {
    body: never;
    query: never;
  };
  "POST /admin/jobs/{id}/legal-hold": {
    body: {
      "hold": boolean;
      "reason": string;
    };
    query: never;
  };
  "POST /admin/login": {
    body: {
      "email": string;
      "password": string;
      "code": string;
    };
    query: never;
  };
  "GET /admin/me": {
    body: never;
    query: never;
  };
  "GET /admin/mutations/{mutation_id}": {
    body: never;
    query: never;
  };
  "POST /admin/mutations/{mutation_id}/assign": {
    body: {
      "account_id": string;
      "reason": string;
    };
    query: never;
  };
  "POST /admin/mutations/{mutation_id}/returned": {
    body: {
      "reason": string;
    };
    query: never;
  };
  "GET /admin/mutations/unmatched": {
    body: never;
    query: {
      "limit"?: number;
      "flagged"?: "true" | "false";
    };
  };
  "GET /admin/star-payments": {
    body: never;
    query: {
      "limit"?: number;
      "account_id"?: string;
    };
  };
  "POST /admin/star-payments/{charge_id}/refund": {
    body: {
      "reason": string;
    };
    query: never;
  };
  "GET /admin/uncollected": {
    body: never;
    query: {
      "limit"?: number;
    };
  };
  "GET /admin/vouchers": {
    body: never;
    query: {
      "limit"?: number;
      "flagged"?: "true" | "false";
    };
  };
  "POST /admin/vouchers": {
    body: {
      "code"?: string;
      "amount_idr": number;
      "max_uses": number;
      "expires_at"?: string;
      "reason": string;
    };
    query: never;
  };
  "POST /auth/login": {
    body: {
      "email": string;
      "password": string;
    };
    query: never;
  };
  "POST /auth/logout": {
    body: never;
    query: never;
  };
  "POST /auth/password-reset": {
    body: {
      "email": string;
    };
    query: never;
  };
  "POST /auth/password-reset/confirm": {
    body: {
      "token": string;
      "password": string;
    };
    query: never;
  };
  "GET /auth/session": {
    body: never;
    query: never;
  };
  "GET /auth/sessions": {
    body: never;
    query: never;
  };
  "DELETE /auth/sessions/{id}": {
    body: never;
    query: never;
  };
  "POST /auth/signup": {
    body: {
      "email": string;
      "password": string;
      "name"?: string;
    };
    query: never;
  };
  "GET /auth/verify-email": {
    body: never;
    query: {
      "token": string;
    };
  };
  "POST /discord/interactions": {
    body: never;
    query: never;
  };
  "GET /files/{path}": {
    body: never;
    query: {
      "exp"?: string;
      "sig"?: string;
    };
  };
  "GET /healthz": {
    body: never;
    query: never;
  };
  "GET /pricing": {
    body: never;
    query: never;
  };
  "GET /readyz": {
    body: never;
    query: never;
  };
  "POST /slack/events": {
    body: never;
    query: never;
  };
  "POST /telegram/webhook": {
    body: never;
    query: never;
  };
  "POST /v1/chat/completions": {
    body: {
      "model": string;
      "messages": Array<{
        "role": "system";
        "content": string | Array<{
          "type": "text";
          "text": string;
        }>;
        "name"?: string;
      } | {
        "role": "developer";
        "content": string | Array<{
          "type": "text";
          "text": string;
        }>;
        "name"?: string;
      } | {
        "role": "user";
        "content": string | Array<{
          "type": "text";
          "text": string;
        } | {
          "type": "image_url";
          "image_url": {
            "url": string;
            "detail"?: "auto" | "low" | "high";
          };
        }>;
        "name"?: string;
      } | {
        "role": "assistant";
        "content"?: string | Array<{
          "type": "text";
          "text": string;
        }> | null;
        "tool_calls"?: Array<{
          "id": string;
          "type"?: "function";
          "function": {
            "name": string;
            "arguments": string;
          };
          "extra_content"?: {
            "google"?: {
              "thought_signature"?: string;
            };
          };
        }>;
        "reasoning_content"?: string | null;
        "refusal"?: string | null;
        "name"?: string;
      } | {
        "role": "tool";
        "content": string | Array<{
          "type": "text";
          "text": string;
        }>;
        "tool_call_id": string;
      }>;
      "stream"?: boolean | null;
      "stream_options"?: {
        "include_usage"?: boolean;
      } | null;
      "max_tokens"?: number | null;
      "max_completion_tokens"?: number | null;
      "temperature"?: number | null;
      "top_p"?: number | null;
      "n"?: number | null;
      "stop"?: string | Array<string> | null;
      "tools"?: Array<{
        "type": "function";
        "function": {
          "name": string;
          "description"?: string;
          "parameters"?: Record<string, unknown>;
          "strict"?: boolean | null;
        };
      }>;
      "tool_choice"?: "auto" | "none" | "required" | {
        "type": "function";
        "function": {
          "name": string;
        };
      };
      "response_format"?: {
        "type": "text";
      } | {
        "type": "json_object";
      } | {
        "type": "json_schema";
        "json_schema": {
          "name": string;
          "schema"?: Record<string, unknown>;
          "strict"?: boolean | null;
          "description"?: string;
        };
      };
      "seed"?: number | null;
      "frequency_penalty"?: number | null;
      "presence_penalty"?: number | null;
      "logit_bias"?: Record<string, unknown> | null;
      "logprobs"?: boolean | null;
      "top_logprobs"?: number | null;
      "reasoning_effort"?: "none" | "minimal" | "low" | "medium" | "high" | "xhigh" | "max" | null;
      "parallel_tool_calls"?: boolean | null;
      "user"?: string | null;
      "safety_identifier"?: string | null;
      "prompt_cache_key"?: string | null;
      "service_tier"?: string | null;
      "metadata"?: Record<string, unknown> | null;
      "verbosity"?: "low" | "medium" | "high" | null;
    };
    query: never;
  };
  "POST /v1/embeddings": {
    body: {
      "model": string;
      "input": string | Array<string> | Array<number> | Array<Array<number>>;
      "encoding_format"?: "float" | "base64";
      "dimensions"?: number;
      "user"?: string;
    };
    query: never;
  };
  "POST /v1/images/edits": {
    body: never;
    query: never;
  };
  "POST /v1/images/generations": {
    body: {
      "model"?: string;
      "prompt": string;
      "size"?: string;
      "quality"?: string;
      "response_format"?: "url" | "b64_json";
      "output_format"?: "png" | "jpeg" | "webp";
      "output_compression"?: number;
      "background"?: "transparent" | "opaque" | "auto";
      "moderation"?: "low" | "auto";
      "user"?: string;
      "n"?: number;
      "style"?: "vivid" | "natural";
    };
    query: never;
  };
  "POST /v1/messages": {
    body: {
      "model": string;
      "max_tokens": number;
      "messages": Array<{
        "role": "user" | "assistant";
        "content": string | Array<{
          "type": "text";
          "text": string;
          "cache_control"?: {
            "type": "ephemeral";
            "ttl"?: "5m" | "1h";
          } | null;
        } | {
          "type": "image";
          "source": {
            "type": "base64";
            "media_type": string;
            "data": string;
          } | {
            "type": "url";
            "url": string;
          };
          "cache_control"?: {
            "type": "ephemeral";
            "ttl"?: "5m" | "1h";
          } | null;
        } | {
          "type": "tool_use";
          "id": string;
          "name": string;
          "input": unknown;
          "cache_control"?: {
            "type": "ephemeral";
            "ttl"?: "5m" | "1h";
          } | null;
        } | {
          "type": "tool_result";
          "tool_use_id": string;
          "content"?: string | Array<{
            "type": "text";
            "text": string;
            "cache_control"?: {
              "type": "ephemeral";
              "ttl"?: "5m" | "1h";
            } | null;
          } | {
            "type": "image";
            "source": {
              "type": "base64";
              "media_type": string;
              "data": string;
            } | {
              "type": "url";
              "url": string;
            };
            "cache_control"?: {
              "type": "ephemeral";
              "ttl"?: "5m" | "1h";
            } | null;
          }>;
          "is_error"?: boolean;
          "cache_control"?: {
            "type": "ephemeral";
            "ttl"?: "5m" | "1h";
          } | null;
        } | {
          "type": "thinking";
          "thinking": string;
          "signature": string;
        } | {
          "type": "redacted_thinking";
          "data": string;
        }>;
      }>;
      "system"?: string | Array<{
        "type": "text";
        "text": string;
        "cache_control"?: {
          "type": "ephemeral";
          "ttl"?: "5m" | "1h";
        } | null;
      }>;
      "stream"?: boolean;
      "temperature"?: number;
      "top_p"?: number;
      "stop_sequences"?: Array<string>;
      "tools"?: Array<{
        "name": string;
        "description"?: string;
        "input_schema": Record<string, unknown>;
        "strict"?: boolean;
        "cache_control"?: {
          "type": "ephemeral";
          "ttl"?: "5m" | "1h";
        } | null;
      }>;
      "tool_choice"?: {
        "type": "auto";
        "disable_parallel_tool_use"?: boolean;
      } | {
        "type": "any";
        "disable_parallel_tool_use"?: boolean;
      } | {
        "type": "none";
      } | {
        "type": "tool";
        "name": string;
        "disable_parallel_tool_use"?: boolean;
      };
      "top_k"?: number;
      "metadata"?: {
        "user_id"?: string | null;
      };
      "service_tier"?: "auto" | "standard_only";
      "thinking"?: {
        "type": "enabled";
        "budget_tokens": number;
        "display"?: "summarized" | "omitted";
      } | {
        "type": "adaptive";
        "display"?: "summarized" | "omitted";
      } | {
        "type": "disabled";
      };
      "output_config"?: {
        "format"?: {
          "type": "json_schema";
          "schema": Record<string, unknown>;
        } | null;
        "effort"?: string | null;
      };
      "cache_control"?: {
        "type": "ephemeral";
        "ttl"?: "5m" | "1h";
      } | null;
    };
    query: never;
  };
  "POST /v1/messages/count_tokens": {
    body: {
      "model": string;
      "max_tokens"?: number;
      "messages": Array<{
        "role": "user" | "assistant";
        "content": string | Array<{
          "type": "text";
          "text": string;
          "cache_control"?: {
            "type": "ephemeral";
            "ttl"?: "5m" | "1h";
          } | null;
        } | {
          "type": "image";
          "source": {
            "type": "base64";
            "media_type": string;
            "data": string;
          } | {
            "type": "url";
            "url": string;
          };
          "cache_control"?: {
            "type": "ephemeral";
            "ttl"?: "5m" | "1h";
          } | null;
        } | {
          "type": "tool_use";
          "id": string;
          "name": string;
          "input": unknown;
          "cache_control"?: {
            "type": "ephemeral";
            "ttl"?: "5m" | "1h";
          } | null;
        } | {
          "type": "tool_result";
          "tool_use_id": string;
          "content"?: string | Array<{
            "type": "text";
            "text": string;
            "cache_control"?: {
              "type": "ephemeral";
              "ttl"?: "5m" | "1h";
            } | null;
          } | {
            "type": "image";
            "source": {
              "type": "base64";
              "media_type": string;
              "data": string;
            } | {
              "type": "url";
              "url": string;
            };
            "cache_control"?: {
              "type": "ephemeral";
              "ttl"?: "5m" | "1h";
            } | null;
          }>;
          "is_error"?: boolean;
          "cache_control"?: {
            "type": "ephemeral";
            "ttl"?: "5m" | "1h";
          } | null;
        } | {
          "type": "thinking";
          "thinking": string;
          "signature": string;
        } | {
          "type": "redacted_thinking";
          "data": string;
        }>;
      }>;
      "system"?: string | Array<{
        "type": "text";
        "text": string;
        "cache_control"?: {
          "type": "ephemeral";
          "ttl"?: "5m" | "1h";
        } | null;
      }>;
      "stream"?: boolean;
      "temperature"?: number;
      "top_p"?: number;
      "stop_sequences"?: Array<string>;
      "tools"?: Array<{
        "name": string;
        "description"?: string;
        "input_schema": Record<string, unknown>;
        "strict"?: boolean;
        "cache_control"?: {
          "type": "ephemeral";
          "ttl"?: "5m" | "1h";
        } | null;
      }>;
      "tool_choice"?: {
        "type": "auto";
        "disable_parallel_tool_use"?: boolean;
      } | {
        "type": "any";
        "disable_parallel_tool_use"?: boolean;
      } | {
        "type": "none";
      } | {
        "type": "tool";
        "name": string;
        "disable_parallel_tool_use"?: boolean;
      };
      "top_k"?: number;
      "metadata"?: {
        "user_id"?: string | null;
      };
      "service_tier"?: "auto" | "standard_only";
      "thinking"?: {
        "type": "enabled";
        "budget_tokens": number;
        "display"?: "summarized" | "omitted";
      } | {
        "type": "adaptive";
        "display"?: "summarized" | "omitted";
      } | {
        "type": "disabled";
      };
      "output_config"?: {
        "format"?: {
          "type": "json_schema";
          "schema": Record<string, unknown>;
        } | null;
        "effort"?: string | null;
      };
      "cache_control"?: {
        "type": "ephemeral";
        "ttl"?: "5m" | "1h";
      } | null;
    };
    query: never;
  };
  "GET /v1/models": {
    body: never;
    query: never;
  };
  "GET /v1/models/{id}": {
    body: never;
    query: never;
  };
  "POST /v1/responses": {
    body: {
      "model": string;
      "input"?: Array<{
        "type": "message";
        "role": "user" | "assistant" | "system" | "developer";
        "content": string | Array<{
          "type": "input_text";
          "text": string;
        } | {
          "type": "output_text";
          "text": string;
        } | {
          "type": "refusal";
          "refusal": string;
        } | {
          "type": "input_image";
          "image_url"?: string | null;
          "file_id"?: string | null;
          "detail"?: "auto" | "low" | "high" | "original" | null;
        } | {
          "type": "input_file";
        }>;
        "id"?: string;
      } | {
        "type": "function_call";
        "call_id": string;
        "name": string;
        "arguments": string;
        "id"?: string;
      } | {
        "type": "function_call_output";
        "call_id": string;
        "output": string | Array<{
          "type": "input_text";
          "text": string;
        } | {
          "type": "output_text";
          "text": string;
        } | {
          "type": "refusal";
          "refusal": string;
        } | {
          "type": "input_image";
          "image_url"?: string | null;
          "file_id"?: string | null;
          "detail"?: "auto" | "low" | "high" | "original" | null;
        } | {
          "type": "input_file";
        }>;
      } | {
        "type": "item_reference";
        "id": string;
      } | {
        "type": "reasoning";
      }>;
      "instructions"?: string | null;
      "tools"?: Array<{
        "type": "function";
        "name": string;
        "description"?: string | null;
        "parameters"?: Record<string, unknown> | null;
        "strict"?: boolean | null;
      }> | null;
      "tool_choice"?: "auto" | "none" | "required" | {
        "type": "function";
        "name": string;
      } | null;
      "text"?: {
        "format"?: {
          "type": "text";
        } | {
          "type": "json_object";
        } | {
          "type": "json_schema";
          "name": string;
          "schema": Record<string, unknown>;
          "description"?: string;
          "strict"?: boolean | null;
        } | null;
        "verbosity"?: "low" | "medium" | "high" | null;
      } | null;
      "max_output_tokens"?: number | null;
      "temperature"?: number | null;
      "top_p"?: number | null;
      "reasoning"?: {
        "effort"?: "none" | "minimal" | "low" | "medium" | "high" | "xhigh" | "max" | null;
        "summary"?: string | null;
      } | null;
      "parallel_tool_calls"?: boolean | null;
      "metadata"?: Record<string, unknown> | null;
      "store"?: boolean | null;
      "previous_response_id"?: string | null;
      "stream"?: boolean | null;
      "include"?: Array<string> | null;
      "user"?: string | null;
      "safety_identifier"?: string | null;
      "prompt_cache_key"?: string | null;
      "service_tier"?: string | null;
      "truncation"?: "auto" | "disabled" | null;
      "top_logprobs"?: number | null;
      "background"?: boolean | null;
      "conversation"?: unknown;
      "prompt"?: unknown;
      "max_tool_calls"?: number | null;
    };
    query: never;
  };
  "DELETE /v1/responses/{id}": {
    body: never;
    query: never;
  };
  "GET /v1/responses/{id}": {
    body: never;
    query: never;
  };
  "POST /v1/videos": {
    body: {
      "model"?: string;
      "prompt": string;
      "seconds"?: number | string;
      "size"?: string;
    };
    query: never;
  };
  "GET /v1/videos/{id}": {
    body: never;
    query: never;
  };
  "GET /v1/videos/{id}/content": {
    body: never;
    query: {
      "variant"?: "video" | "thumbnail" | "spritesheet";
    };
  };
  "POST /webhooks/moota": {
    body: never;
    query: never;
  };
  "POST /webhooks/runninghub": {
    body: never;
    query: never;
  };
}
