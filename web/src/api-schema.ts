// Generated from /openapi.json by web/scripts/api-types.ts (npm run web:types). Do not edit.

/** Request body, query and JSON answer of every operation, keyed by "METHOD /path". */
export interface Operations {
  "DELETE /account": {
    body: {
      "confirm": string;
      "password"?: string;
    };
    query: never;
    response: {
      "deleted": true;
      "outcome": "erased" | "deferred_legal_hold";
    };
  };
  "GET /account": {
    body: never;
    query: never;
    response: {
      "id": string;
      "email": string | null;
      "email_verified": boolean;
      "name": string | null;
      "status": "active" | "suspended" | "closed";
      "locale": "id" | "en";
      "balance_idr": number;
      "held_idr": number;
      "available_idr": number;
      "zero_retention": boolean;
      "created_at": string;
    };
  };
  "PATCH /account": {
    body: {
      "name"?: string | null;
      "email"?: string;
      "zero_retention"?: boolean;
      "locale"?: "id" | "en";
    };
    query: never;
    response: {
      "id": string;
      "email": string | null;
      "email_verified": boolean;
      "name": string | null;
      "status": "active" | "suspended" | "closed";
      "locale": "id" | "en";
      "balance_idr": number;
      "held_idr": number;
      "available_idr": number;
      "zero_retention": boolean;
      "created_at": string;
    };
  };
  "GET /account/export": {
    body: never;
    query: never;
    response: {
      "object": "account_export";
      "generated_at": string;
      "profile": {
        "id": string;
        "email": string | null;
        "email_verified_at": string | null;
        "name": string | null;
        "status": string;
        "locale": string;
        "balance_idr": number;
        "held_idr": number;
        "zero_retention": boolean;
        "preferred_model": string | null;
        "created_at": string;
        "updated_at": string | null;
        "suspended_at": string | null;
        "closed_at": string | null;
      };
      "identities": Array<Record<string, unknown>>;
      "api_keys": Array<Record<string, unknown>>;
      "ledger": Array<Record<string, unknown>>;
      "topups": Array<Record<string, unknown>>;
      "star_payments": Array<Record<string, unknown>>;
      "jobs": Array<Record<string, unknown>>;
      "conversation_messages": Array<Record<string, unknown>>;
      "files": Array<Record<string, unknown>>;
      "activity": Array<Record<string, unknown>>;
    };
  };
  "GET /account/keys": {
    body: never;
    query: never;
    response: {
      "object": "list";
      "data": Array<{
        "id": string;
        "name": string;
        "prefix": string;
        "scopes": Array<"chat" | "images" | "videos" | "account">;
        "expires_at": string | null;
        "last_used_at": string | null;
        "revoked_at": string | null;
        "created_at": string;
        "spent_idr": number;
        "held_idr": number;
        "budget_remaining_idr": number | null;
        "total_limit": {
          "limit_idr": number;
          "spent_idr": number;
          "remaining_idr": number;
        } | null;
        "period_limit": {
          "period": "day" | "week" | "month";
          "limit_idr": number;
          "spent_idr": number;
          "remaining_idr": number;
          "resets_at": string | null;
        } | null;
        "models": Array<string> | null;
        "kinds": Array<"chat" | "image" | "video" | "embedding"> | null;
        "requests_per_minute": number | null;
        "tokens_per_minute": number | null;
      }>;
    };
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
    response: {
      "id": string;
      "name": string;
      "prefix": string;
      "scopes": Array<"chat" | "images" | "videos" | "account">;
      "expires_at": string | null;
      "last_used_at": string | null;
      "revoked_at": string | null;
      "created_at": string;
      "spent_idr": number;
      "held_idr": number;
      "budget_remaining_idr": number | null;
      "total_limit": {
        "limit_idr": number;
        "spent_idr": number;
        "remaining_idr": number;
      } | null;
      "period_limit": {
        "period": "day" | "week" | "month";
        "limit_idr": number;
        "spent_idr": number;
        "remaining_idr": number;
        "resets_at": string | null;
      } | null;
      "models": Array<string> | null;
      "kinds": Array<"chat" | "image" | "video" | "embedding"> | null;
      "requests_per_minute": number | null;
      "tokens_per_minute": number | null;
      "secret": string;
    };
  };
  "DELETE /account/keys/{id}": {
    body: never;
    query: never;
    response: {
      "id": string;
      "revoked": true;
    };
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
    response: {
      "id": string;
      "name": string;
      "prefix": string;
      "scopes": Array<"chat" | "images" | "videos" | "account">;
      "expires_at": string | null;
      "last_used_at": string | null;
      "revoked_at": string | null;
      "created_at": string;
      "spent_idr": number;
      "held_idr": number;
      "budget_remaining_idr": number | null;
      "total_limit": {
        "limit_idr": number;
        "spent_idr": number;
        "remaining_idr": number;
      } | null;
      "period_limit": {
        "period": "day" | "week" | "month";
        "limit_idr": number;
        "spent_idr": number;
        "remaining_idr": number;
        "resets_at": string | null;
      } | null;
      "models": Array<string> | null;
      "kinds": Array<"chat" | "image" | "video" | "embedding"> | null;
      "requests_per_minute": number | null;
      "tokens_per_minute": number | null;
    };
  };
  "GET /account/ledger": {
    body: never;
    query: {
      "limit"?: number;
      "before"?: string;
    };
    response: {
      "object": "list";
      "data": Array<{
        "id": string;
        "amount_idr": number;
        "kind": string;
        "reference": string | null;
        "reason": string | null;
        "created_at": string;
      }>;
      "has_more": boolean;
      "next_before": string | null;
    };
  };
  "POST /account/link-codes": {
    body: never;
    query: never;
    response: {
      "code": string;
      "expires_at": string;
    };
  };
  "GET /account/links": {
    body: never;
    query: never;
    response: {
      "object": "list";
      "data": Array<{
        "platform": "telegram" | "slack" | "discord";
        "display_name": string | null;
        "linked_at": string;
      }>;
    };
  };
  "POST /account/links": {
    body: {
      "code": string;
    };
    query: never;
    response: {
      "linked": true;
      "account_id": string;
      "moved_idr": number;
    };
  };
  "POST /account/password": {
    body: {
      "current_password": string;
      "new_password": string;
    };
    query: never;
    response: {
      "changed": true;
      "revoked_sessions": number;
    };
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
      "logit_bias"?: Record<string, number> | null;
      "logprobs"?: boolean | null;
      "top_logprobs"?: number | null;
      "reasoning_effort"?: "none" | "minimal" | "low" | "medium" | "high" | "xhigh" | "max" | null;
      "parallel_tool_calls"?: boolean | null;
      "user"?: string | null;
      "safety_identifier"?: string | null;
      "prompt_cache_key"?: string | null;
      "service_tier"?: string | null;
      "metadata"?: Record<string, string> | null;
      "verbosity"?: "low" | "medium" | "high" | null;
      [field: string]: unknown;
    };
    query: never;
    response: {
      "id": string;
      "object": "chat.completion";
      "created": number;
      "model": string;
      "choices": Array<{
        "index": number;
        "message": {
          "role": "assistant";
          "content": string | null;
          "refusal"?: string | null;
          "reasoning_content"?: string;
          "tool_calls"?: Array<{
            "id": string;
            "type": "function";
            "function": {
              "name": string;
              "arguments": string;
              [field: string]: unknown;
            };
            [field: string]: unknown;
          }>;
          [field: string]: unknown;
        };
        "logprobs": {
          "content": Array<{
            "token": string;
            "logprob": number;
            "bytes": Array<number> | null;
            "top_logprobs": Array<{
              "token": string;
              "logprob": number;
              "bytes": Array<number> | null;
              [field: string]: unknown;
            }>;
            [field: string]: unknown;
          }> | null;
          "refusal"?: Array<{
            "token": string;
            "logprob": number;
            "bytes": Array<number> | null;
            "top_logprobs": Array<{
              "token": string;
              "logprob": number;
              "bytes": Array<number> | null;
              [field: string]: unknown;
            }>;
            [field: string]: unknown;
          }> | null;
          [field: string]: unknown;
        } | null;
        "finish_reason": "stop" | "length" | "tool_calls" | "content_filter" | "function_call";
        [field: string]: unknown;
      }>;
      "usage": {
        "prompt_tokens": number;
        "completion_tokens": number;
        "total_tokens": number;
        "prompt_tokens_details"?: {
          "cached_tokens"?: number;
          [field: string]: unknown;
        };
        "completion_tokens_details"?: {
          "reasoning_tokens"?: number;
          [field: string]: unknown;
        };
        "cost_idr": number;
        "estimated": boolean;
        [field: string]: unknown;
      };
      "system_fingerprint"?: string | null;
      "service_tier"?: string | null;
      [field: string]: unknown;
    };
  };
  "POST /account/redeem": {
    body: {
      "code": string;
    };
    query: never;
    response: {
      "object": "voucher_redemption";
      "code": string;
      "amount_idr": number;
      "balance_idr": number;
    };
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
    response: {
      "object": "list";
      "data": Array<{
        "id": string;
        "channel": string;
        "kind": string;
        "model": string;
        "status": string;
        "input_tokens": number | null;
        "output_tokens": number | null;
        "units": number | null;
        "created_at": string;
        "cost_idr": number;
        "latency_ms": number | null;
        "ttfb_ms": number | null;
        "error_code": string | null;
      }>;
      "has_more": boolean;
    };
  };
  "GET /account/requests/{id}": {
    body: never;
    query: never;
    response: {
      "id": string;
      "channel": string;
      "kind": string;
      "model": string;
      "status": string;
      "input_tokens": number | null;
      "output_tokens": number | null;
      "units": number | null;
      "created_at": string;
      "cost_idr": number;
      "latency_ms": number | null;
      "ttfb_ms": number | null;
      "error_code": string | null;
      "cached_tokens": number | null;
      "provider_attempts": number;
      "content_retained": boolean;
      "prompt": unknown;
      "output": unknown;
    };
  };
  "GET /account/topups": {
    body: never;
    query: {
      "limit"?: number;
    };
    response: {
      "object": "list";
      "data": Array<{
        "id": string;
        "object": "topup";
        "status": "pending" | "paid" | "expired" | "cancelled";
        "amount_idr": number;
        "unique_suffix_idr": number;
        "transfer_amount_idr": number;
        "code": string;
        "code_required": boolean;
        "bank_accounts": Array<{
          "bank": string;
          "number": string;
          "holder": string;
        }>;
        "channel": string;
        "expires_at": string;
        "paid_at": string | null;
        "created_at": string;
      }>;
    };
  };
  "POST /account/topups": {
    body: {
      "amount_idr": unknown;
    };
    query: never;
    response: {
      "id": string;
      "object": "topup";
      "status": "pending" | "paid" | "expired" | "cancelled";
      "amount_idr": number;
      "unique_suffix_idr": number;
      "transfer_amount_idr": number;
      "code": string;
      "code_required": boolean;
      "bank_accounts": Array<{
        "bank": string;
        "number": string;
        "holder": string;
      }>;
      "channel": string;
      "expires_at": string;
      "paid_at": string | null;
      "created_at": string;
    };
  };
  "GET /account/usage": {
    body: never;
    query: {
      "from"?: string | string;
      "to"?: string | string;
      "format"?: "json" | "csv";
      "key_id"?: string;
    };
    response: {
      "object": "usage";
      "from": string;
      "to": string;
      "total_cost_idr": string;
      "truncated": boolean;
      "data": Array<{
        "id": string;
        "channel": string;
        "kind": string;
        "model": string;
        "status": string;
        "input_tokens": number | null;
        "output_tokens": number | null;
        "units": number | null;
        "created_at": string;
        "api_key_id": string | null;
        "cached_tokens": number | null;
        "cost_idr": string;
      }>;
    };
  };
  "GET /admin/accounts": {
    body: never;
    query: {
      "q": string;
      "limit"?: number;
    };
    response: {
      "object": "list";
      "data": Array<{
        "id": string;
        "email": string | null;
        "name": string | null;
        "status": "active" | "suspended" | "closed";
        "balance_idr": number;
        "created_at": string;
      }>;
    };
  };
  "GET /admin/accounts/{id}": {
    body: never;
    query: never;
    response: {
      "account": {
        "id": string;
        "email": string | null;
        "email_verified": boolean;
        "name": string | null;
        "status": "active" | "suspended" | "closed";
        "locale": "id" | "en";
        "balance_idr": number;
        "held_idr": number;
        "available_idr": number;
        "zero_retention": boolean;
        "created_at": string;
        "legal_hold": boolean;
        "suspended_at": string | null;
        "closed_at": string | null;
      };
      "identities": Array<{
        "platform": string;
        "external_id": string;
        "display_name": string | null;
        "created_at": string | null;
      }>;
      "keys": Array<{
        "id": string;
        "name": string;
        "prefix": string;
        "scopes": Array<string>;
        "revoked_at": string | null;
        "last_used_at": string | null;
        "created_at": string | null;
      }>;
      "ledger": Array<{
        "id": string;
        "amount_idr": number;
        "kind": string;
        "reference": string | null;
        "reason": string | null;
        "created_at": string;
      }>;
      "jobs": Array<{
        "id": string;
        "channel": string;
        "kind": string;
        "model": string;
        "status": string;
        "input_tokens": number | null;
        "output_tokens": number | null;
        "units": number | null;
        "provider": string | null;
        "cost_idr": number | null;
        "uncollected_idr": number;
        "error_code": string | null;
        "legal_hold": boolean;
        "content_purged": boolean;
        "created_at": string | null;
      }>;
    };
  };
  "POST /admin/accounts/{id}/balance": {
    body: {
      "amount_idr": number;
      "reason": string;
      "idempotency_key": string;
    };
    query: never;
    response: {
      "account_id": string;
      "entry_id": string;
      "balance_idr": number;
      "created": boolean;
    };
  };
  "POST /admin/accounts/{id}/legal-hold": {
    body: {
      "hold": boolean;
      "reason": string;
    };
    query: never;
    response: {
      "type": "account" | "job";
      "id": string;
      "legal_hold": boolean;
    };
  };
  "POST /admin/accounts/{id}/suspend": {
    body: {
      "reason": string;
    };
    query: never;
    response: {
      "id": string;
      "status": "active" | "suspended";
    };
  };
  "POST /admin/accounts/{id}/unsuspend": {
    body: {
      "reason": string;
    };
    query: never;
    response: {
      "id": string;
      "status": "active" | "suspended";
    };
  };
  "GET /admin/audit": {
    body: never;
    query: {
      "target_type"?: string;
      "target_id"?: string;
      "before"?: string;
      "limit"?: number;
    };
    response: {
      "object": "list";
      "data": Array<{
        "id": string;
        "actor_type": string;
        "actor_id": string | null;
        "action": string;
        "target_type": string | null;
        "target_id": string | null;
        "before": unknown;
        "after": unknown;
        "reason": string | null;
        "ip": string | null;
        "created_at": string;
      }>;
      "next_before": string | null;
    };
  };
  "GET /admin/health": {
    body: never;
    query: never;
    response: {
      "models_served": number;
      "providers": Array<{
        "provider": string;
        "routes": number;
        "open": number;
        "half_open": number;
      }>;
      "routes": Array<{
        "provider": string;
        "model": string;
        "state": "closed" | "open" | "half-open";
        "ewma_latency_ms": number | null;
        "error_rate": number;
        "consecutive_failures": number;
        "successes": number;
        "failures": number;
        "opened_at": string | null;
        "last_error": string | null;
      }>;
    };
  };
  "POST /admin/jobs/{id}/legal-hold": {
    body: {
      "hold": boolean;
      "reason": string;
    };
    query: never;
    response: {
      "type": "account" | "job";
      "id": string;
      "legal_hold": boolean;
    };
  };
  "POST /admin/login": {
    body: {
      "email": string;
      "password": string;
      "code": string;
    };
    query: never;
    response: {
      "token": string;
      "token_type": "Bearer";
      "expires_at": string;
      "admin": {
        "id": string;
        "email": string;
      };
    };
  };
  "GET /admin/me": {
    body: never;
    query: never;
    response: {
      "admin": {
        "id": string;
        "email": string;
      };
    };
  };
  "GET /admin/mutations/{mutation_id}": {
    body: never;
    query: never;
    response: {
      "mutation_id": string;
      "bank_id": string | null;
      "account_number": string | null;
      "type": "CR" | "DB";
      "amount_idr": number;
      "description": string | null;
      "note": string | null;
      "mutation_date": string | null;
      "status": "received" | "matched" | "unmatched" | "ignored" | "assigned" | "returned";
      "account_id": string | null;
      "topup_id": string | null;
      "matched_by": "code" | "amount" | "admin" | null;
      "return_flagged_at": string | null;
      "created_at": string;
      "resolved_at": string | null;
    };
  };
  "POST /admin/mutations/{mutation_id}/assign": {
    body: {
      "account_id": string;
      "reason": string;
    };
    query: never;
    response: {
      "mutation": {
        "mutation_id": string;
        "bank_id": string | null;
        "account_number": string | null;
        "type": "CR" | "DB";
        "amount_idr": number;
        "description": string | null;
        "note": string | null;
        "mutation_date": string | null;
        "status": "received" | "matched" | "unmatched" | "ignored" | "assigned" | "returned";
        "account_id": string | null;
        "topup_id": string | null;
        "matched_by": "code" | "amount" | "admin" | null;
        "return_flagged_at": string | null;
        "created_at": string;
        "resolved_at": string | null;
      };
      "balance_idr": number;
    };
  };
  "POST /admin/mutations/{mutation_id}/returned": {
    body: {
      "reason": string;
    };
    query: never;
    response: {
      "mutation_id": string;
      "bank_id": string | null;
      "account_number": string | null;
      "type": "CR" | "DB";
      "amount_idr": number;
      "description": string | null;
      "note": string | null;
      "mutation_date": string | null;
      "status": "received" | "matched" | "unmatched" | "ignored" | "assigned" | "returned";
      "account_id": string | null;
      "topup_id": string | null;
      "matched_by": "code" | "amount" | "admin" | null;
      "return_flagged_at": string | null;
      "created_at": string;
      "resolved_at": string | null;
    };
  };
  "GET /admin/mutations/unmatched": {
    body: never;
    query: {
      "limit"?: number;
      "flagged"?: "true" | "false";
    };
    response: {
      "object": "list";
      "data": Array<{
        "mutation_id": string;
        "bank_id": string | null;
        "account_number": string | null;
        "type": "CR" | "DB";
        "amount_idr": number;
        "description": string | null;
        "note": string | null;
        "mutation_date": string | null;
        "status": "received" | "matched" | "unmatched" | "ignored" | "assigned" | "returned";
        "account_id": string | null;
        "topup_id": string | null;
        "matched_by": "code" | "amount" | "admin" | null;
        "return_flagged_at": string | null;
        "created_at": string;
        "resolved_at": string | null;
      }>;
    };
  };
  "GET /admin/star-payments": {
    body: never;
    query: {
      "limit"?: number;
      "account_id"?: string;
    };
    response: {
      "object": "list";
      "data": Array<{
        "charge_id": string;
        "account_id": string;
        "telegram_user_id": string;
        "stars": number;
        "amount_idr": number;
        "refunded_at": string | null;
        "created_at": string;
      }>;
    };
  };
  "POST /admin/star-payments/{charge_id}/refund": {
    body: {
      "reason": string;
    };
    query: never;
    response: {
      "charge_id": string;
      "stars": number;
      "amount_idr": number;
      "refunded_at": string | null;
    };
  };
  "GET /admin/uncollected": {
    body: never;
    query: {
      "limit"?: number;
    };
    response: {
      "jobs": number;
      "total_idr": number;
      "data": Array<{
        "job_id": string;
        "account_id": string;
        "kind": string;
        "model": string;
        "channel": string;
        "charged_idr": number | null;
        "uncollected_idr": number;
        "created_at": string;
      }>;
    };
  };
  "GET /admin/vouchers": {
    body: never;
    query: {
      "limit"?: number;
      "flagged"?: "true" | "false";
    };
    response: {
      "object": "list";
      "data": Array<{
        "id": string;
        "code": string;
        "amount_idr": number;
        "max_uses": number;
        "uses": number;
        "expires_at": string | null;
        "created_by": string | null;
        "created_at": string;
      }>;
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
    response: {
      "id": string;
      "code": string;
      "amount_idr": number;
      "max_uses": number;
      "uses": number;
      "expires_at": string | null;
      "created_by": string | null;
      "created_at": string;
    };
  };
  "POST /auth/login": {
    body: {
      "email": string;
      "password": string;
    };
    query: never;
    response: {
      "token": string;
      "token_type": "Bearer";
      "expires_at": string;
      "account": {
        "id": string;
        "email": string | null;
        "email_verified": boolean;
        "name": string | null;
        "status": "active" | "suspended" | "closed";
        "locale": "id" | "en";
        "balance_idr": number;
        "held_idr": number;
        "available_idr": number;
        "zero_retention": boolean;
        "created_at": string;
      };
    } | {
      "expires_at": string;
      "account": {
        "id": string;
        "email": string | null;
        "email_verified": boolean;
        "name": string | null;
        "status": "active" | "suspended" | "closed";
        "locale": "id" | "en";
        "balance_idr": number;
        "held_idr": number;
        "available_idr": number;
        "zero_retention": boolean;
        "created_at": string;
      };
      "csrf_token": string;
    };
  };
  "POST /auth/logout": {
    body: never;
    query: never;
    response: {
      "signed_out": true;
    };
  };
  "POST /auth/password-reset": {
    body: {
      "email": string;
    };
    query: never;
    response: {
      "sent": true;
    };
  };
  "POST /auth/password-reset/confirm": {
    body: {
      "token": string;
      "password": string;
    };
    query: never;
    response: {
      "reset": true;
    };
  };
  "GET /auth/session": {
    body: never;
    query: never;
    response: {
      "session_id": string;
      "csrf_token": string | null;
      "account": {
        "id": string;
        "email": string | null;
        "email_verified": boolean;
        "name": string | null;
        "status": "active" | "suspended" | "closed";
        "locale": "id" | "en";
        "balance_idr": number;
        "held_idr": number;
        "available_idr": number;
        "zero_retention": boolean;
        "created_at": string;
      };
    };
  };
  "GET /auth/sessions": {
    body: never;
    query: never;
    response: {
      "object": "list";
      "data": Array<{
        "id": string;
        "current": boolean;
        "user_agent": string | null;
        "ip": string | null;
        "created_at": string;
        "last_seen_at": string;
        "expires_at": string;
      }>;
    };
  };
  "DELETE /auth/sessions/{id}": {
    body: never;
    query: never;
    response: {
      "id": string;
      "revoked": true;
    };
  };
  "POST /auth/signup": {
    body: {
      "email": string;
      "password": string;
      "name"?: string;
      "locale"?: "id" | "en";
    };
    query: never;
    response: {
      "account": {
        "id": string;
        "email": string | null;
        "email_verified": boolean;
        "name": string | null;
        "status": "active" | "suspended" | "closed";
        "locale": "id" | "en";
        "balance_idr": number;
        "held_idr": number;
        "available_idr": number;
        "zero_retention": boolean;
        "created_at": string;
      };
      "verification": "sent";
    };
  };
  "GET /auth/verify-email": {
    body: never;
    query: {
      "token": string;
    };
    response: {
      "verified": true;
      "account": {
        "id": string;
        "email": string | null;
        "email_verified": boolean;
        "name": string | null;
        "status": "active" | "suspended" | "closed";
        "locale": "id" | "en";
        "balance_idr": number;
        "held_idr": number;
        "available_idr": number;
        "zero_retention": boolean;
        "created_at": string;
      };
    };
  };
  "POST /discord/interactions": {
    body: never;
    query: never;
    response: never;
  };
  "GET /files/{path}": {
    body: never;
    query: {
      "exp"?: string;
      "sig"?: string;
    };
    response: never;
  };
  "GET /healthz": {
    body: never;
    query: never;
    response: {
      "status": "ok";
    };
  };
  "GET /pricing": {
    body: never;
    query: {
      "format"?: "json" | "html";
    };
    response: {
      "object": "list";
      "currency": "IDR";
      "data": Array<{
        "id": string;
        "object": "model";
        "created": number;
        "owned_by": string;
        "name": string;
        "providers": Array<string>;
        "kind": "chat";
        "price": {
          "input_per_mtok_idr": number;
          "output_per_mtok_idr": number;
          "cached_input_per_mtok_idr"?: number;
          "cache_write_per_mtok_idr"?: number;
          "cache_write_1h_per_mtok_idr"?: number;
        };
        "context_window": number;
        "max_output_tokens": number;
        "vision": boolean;
        "tools": boolean;
      } | {
        "id": string;
        "object": "model";
        "created": number;
        "owned_by": string;
        "name": string;
        "providers": Array<string>;
        "kind": "embedding";
        "price": {
          "input_per_mtok_idr": number;
        };
        "dimensions": number;
        "adjustable_dimensions": boolean;
        "max_input_tokens": number;
      } | {
        "id": string;
        "object": "model";
        "created": number;
        "owned_by": string;
        "name": string;
        "providers": Array<string>;
        "kind": "image";
        "price": {
          "per_image_idr": number;
        };
        "sizes": Array<string>;
        "max_n": number;
      } | {
        "id": string;
        "object": "model";
        "created": number;
        "owned_by": string;
        "name": string;
        "providers": Array<string>;
        "kind": "video";
        "price": {
          "per_video_second_idr": number;
        };
        "sizes": Array<string>;
        "durations": Array<number>;
      } | {
        "id": string;
        "object": "model";
        "created": number;
        "owned_by": string;
        "name": string;
        "providers": Array<string>;
        "kind": "transcription";
        "price": {
          "per_audio_second_idr": number;
        };
        "max_seconds": number;
        "max_bytes": number;
      }>;
    };
  };
  "GET /readyz": {
    body: never;
    query: never;
    response: {
      "status": "ready" | "not_ready";
      "checks": Record<string, boolean>;
    };
  };
  "POST /slack/events": {
    body: never;
    query: never;
    response: never;
  };
  "POST /telegram/webhook": {
    body: never;
    query: never;
    response: never;
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
      "logit_bias"?: Record<string, number> | null;
      "logprobs"?: boolean | null;
      "top_logprobs"?: number | null;
      "reasoning_effort"?: "none" | "minimal" | "low" | "medium" | "high" | "xhigh" | "max" | null;
      "parallel_tool_calls"?: boolean | null;
      "user"?: string | null;
      "safety_identifier"?: string | null;
      "prompt_cache_key"?: string | null;
      "service_tier"?: string | null;
      "metadata"?: Record<string, string> | null;
      "verbosity"?: "low" | "medium" | "high" | null;
      [field: string]: unknown;
    };
    query: never;
    response: {
      "id": string;
      "object": "chat.completion";
      "created": number;
      "model": string;
      "choices": Array<{
        "index": number;
        "message": {
          "role": "assistant";
          "content": string | null;
          "refusal"?: string | null;
          "reasoning_content"?: string;
          "tool_calls"?: Array<{
            "id": string;
            "type": "function";
            "function": {
              "name": string;
              "arguments": string;
              [field: string]: unknown;
            };
            [field: string]: unknown;
          }>;
          [field: string]: unknown;
        };
        "logprobs": {
          "content": Array<{
            "token": string;
            "logprob": number;
            "bytes": Array<number> | null;
            "top_logprobs": Array<{
              "token": string;
              "logprob": number;
              "bytes": Array<number> | null;
              [field: string]: unknown;
            }>;
            [field: string]: unknown;
          }> | null;
          "refusal"?: Array<{
            "token": string;
            "logprob": number;
            "bytes": Array<number> | null;
            "top_logprobs": Array<{
              "token": string;
              "logprob": number;
              "bytes": Array<number> | null;
              [field: string]: unknown;
            }>;
            [field: string]: unknown;
          }> | null;
          [field: string]: unknown;
        } | null;
        "finish_reason": "stop" | "length" | "tool_calls" | "content_filter" | "function_call";
        [field: string]: unknown;
      }>;
      "usage": {
        "prompt_tokens": number;
        "completion_tokens": number;
        "total_tokens": number;
        "prompt_tokens_details"?: {
          "cached_tokens"?: number;
          [field: string]: unknown;
        };
        "completion_tokens_details"?: {
          "reasoning_tokens"?: number;
          [field: string]: unknown;
        };
        "cost_idr": number;
        "estimated": boolean;
        [field: string]: unknown;
      };
      "system_fingerprint"?: string | null;
      "service_tier"?: string | null;
      [field: string]: unknown;
    };
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
    response: {
      "object": "list";
      "model": string;
      "data": Array<{
        "object": "embedding";
        "index": number;
        "embedding": Array<number> | string;
        [field: string]: unknown;
      }>;
      "usage": {
        "prompt_tokens": number;
        "total_tokens": number;
        [field: string]: unknown;
      };
      [field: string]: unknown;
    };
  };
  "POST /v1/images/edits": {
    body: never;
    query: never;
    response: {
      "created": number;
      "data": Array<{
        "url"?: string;
        "b64_json"?: string;
        "revised_prompt"?: string;
      }>;
      "size"?: string;
    };
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
    response: {
      "created": number;
      "data": Array<{
        "url"?: string;
        "b64_json"?: string;
        "revised_prompt"?: string;
      }>;
      "size"?: string;
    };
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
        [field: string]: unknown;
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
        [field: string]: unknown;
      };
      "cache_control"?: {
        "type": "ephemeral";
        "ttl"?: "5m" | "1h";
      } | null;
      [field: string]: unknown;
    };
    query: never;
    response: {
      "id": string;
      "type": "message";
      "role": "assistant";
      "model": string;
      "content": Array<{
        "type": "text";
        "text": string;
        [field: string]: unknown;
      } | {
        "type": "thinking";
        "thinking": string;
        "signature": string;
        [field: string]: unknown;
      } | {
        "type": "redacted_thinking";
        "data": string;
        [field: string]: unknown;
      } | {
        "type": "tool_use";
        "id": string;
        "name": string;
        "input": unknown;
        [field: string]: unknown;
      }>;
      "stop_reason": "end_turn" | "max_tokens" | "stop_sequence" | "tool_use" | "pause_turn" | "refusal";
      "stop_sequence": string | null;
      "usage": {
        "input_tokens": number;
        "output_tokens": number;
        "cache_read_input_tokens"?: number | null;
        "cache_creation_input_tokens"?: number | null;
        "cost_idr"?: number;
        [field: string]: unknown;
      };
      [field: string]: unknown;
    };
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
        [field: string]: unknown;
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
        [field: string]: unknown;
      };
      "cache_control"?: {
        "type": "ephemeral";
        "ttl"?: "5m" | "1h";
      } | null;
      [field: string]: unknown;
    };
    query: never;
    response: {
      "input_tokens": number;
    };
  };
  "GET /v1/models": {
    body: never;
    query: {
      "limit"?: number;
      "after_id"?: string;
      "before_id"?: string;
    };
    response: {
      "object": "list";
      "data": Array<{
        "id": string;
        "object": "model";
        "created": number;
        "owned_by": string;
        "name": string;
        "providers": Array<string>;
        "kind": "chat";
        "price": {
          "input_per_mtok_idr": number;
          "output_per_mtok_idr": number;
          "cached_input_per_mtok_idr"?: number;
          "cache_write_per_mtok_idr"?: number;
          "cache_write_1h_per_mtok_idr"?: number;
        };
        "context_window": number;
        "max_output_tokens": number;
        "vision": boolean;
        "tools": boolean;
      } | {
        "id": string;
        "object": "model";
        "created": number;
        "owned_by": string;
        "name": string;
        "providers": Array<string>;
        "kind": "embedding";
        "price": {
          "input_per_mtok_idr": number;
        };
        "dimensions": number;
        "adjustable_dimensions": boolean;
        "max_input_tokens": number;
      } | {
        "id": string;
        "object": "model";
        "created": number;
        "owned_by": string;
        "name": string;
        "providers": Array<string>;
        "kind": "image";
        "price": {
          "per_image_idr": number;
        };
        "sizes": Array<string>;
        "max_n": number;
      } | {
        "id": string;
        "object": "model";
        "created": number;
        "owned_by": string;
        "name": string;
        "providers": Array<string>;
        "kind": "video";
        "price": {
          "per_video_second_idr": number;
        };
        "sizes": Array<string>;
        "durations": Array<number>;
      } | {
        "id": string;
        "object": "model";
        "created": number;
        "owned_by": string;
        "name": string;
        "providers": Array<string>;
        "kind": "transcription";
        "price": {
          "per_audio_second_idr": number;
        };
        "max_seconds": number;
        "max_bytes": number;
      }>;
    } | {
      "data": Array<{
        "type": "model";
        "id": string;
        "display_name": string;
        "created_at": string;
        [field: string]: unknown;
      }>;
      "has_more": boolean;
      "first_id": string | null;
      "last_id": string | null;
    };
  };
  "GET /v1/models/{id}": {
    body: never;
    query: never;
    response: {
      "id": string;
      "object": "model";
      "created": number;
      "owned_by": string;
      "name": string;
      "providers": Array<string>;
      "kind": "chat";
      "price": {
        "input_per_mtok_idr": number;
        "output_per_mtok_idr": number;
        "cached_input_per_mtok_idr"?: number;
        "cache_write_per_mtok_idr"?: number;
        "cache_write_1h_per_mtok_idr"?: number;
      };
      "context_window": number;
      "max_output_tokens": number;
      "vision": boolean;
      "tools": boolean;
    } | {
      "id": string;
      "object": "model";
      "created": number;
      "owned_by": string;
      "name": string;
      "providers": Array<string>;
      "kind": "embedding";
      "price": {
        "input_per_mtok_idr": number;
      };
      "dimensions": number;
      "adjustable_dimensions": boolean;
      "max_input_tokens": number;
    } | {
      "id": string;
      "object": "model";
      "created": number;
      "owned_by": string;
      "name": string;
      "providers": Array<string>;
      "kind": "image";
      "price": {
        "per_image_idr": number;
      };
      "sizes": Array<string>;
      "max_n": number;
    } | {
      "id": string;
      "object": "model";
      "created": number;
      "owned_by": string;
      "name": string;
      "providers": Array<string>;
      "kind": "video";
      "price": {
        "per_video_second_idr": number;
      };
      "sizes": Array<string>;
      "durations": Array<number>;
    } | {
      "id": string;
      "object": "model";
      "created": number;
      "owned_by": string;
      "name": string;
      "providers": Array<string>;
      "kind": "transcription";
      "price": {
        "per_audio_second_idr": number;
      };
      "max_seconds": number;
      "max_bytes": number;
    } | {
      "type": "model";
      "id": string;
      "display_name": string;
      "created_at": string;
      [field: string]: unknown;
    };
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
          [field: string]: unknown;
        } | {
          "type": "output_text";
          "text": string;
          [field: string]: unknown;
        } | {
          "type": "refusal";
          "refusal": string;
          [field: string]: unknown;
        } | {
          "type": "input_image";
          "image_url"?: string | null;
          "file_id"?: string | null;
          "detail"?: "auto" | "low" | "high" | "original" | null;
          [field: string]: unknown;
        } | {
          "type": "input_file";
          [field: string]: unknown;
        }>;
        "id"?: string;
        [field: string]: unknown;
      } | {
        "type": "function_call";
        "call_id": string;
        "name": string;
        "arguments": string;
        "id"?: string;
        [field: string]: unknown;
      } | {
        "type": "function_call_output";
        "call_id": string;
        "output": string | Array<{
          "type": "input_text";
          "text": string;
          [field: string]: unknown;
        } | {
          "type": "output_text";
          "text": string;
          [field: string]: unknown;
        } | {
          "type": "refusal";
          "refusal": string;
          [field: string]: unknown;
        } | {
          "type": "input_image";
          "image_url"?: string | null;
          "file_id"?: string | null;
          "detail"?: "auto" | "low" | "high" | "original" | null;
          [field: string]: unknown;
        } | {
          "type": "input_file";
          [field: string]: unknown;
        }>;
        [field: string]: unknown;
      } | {
        "type": "item_reference";
        "id": string;
      } | {
        "type": "reasoning";
        [field: string]: unknown;
      }>;
      "instructions"?: string | null;
      "tools"?: Array<{
        "type": "function";
        "name": string;
        "description"?: string | null;
        "parameters"?: Record<string, unknown> | null;
        "strict"?: boolean | null;
        [field: string]: unknown;
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
        [field: string]: unknown;
      } | null;
      "max_output_tokens"?: number | null;
      "temperature"?: number | null;
      "top_p"?: number | null;
      "reasoning"?: {
        "effort"?: "none" | "minimal" | "low" | "medium" | "high" | "xhigh" | "max" | null;
        "summary"?: string | null;
        [field: string]: unknown;
      } | null;
      "parallel_tool_calls"?: boolean | null;
      "metadata"?: Record<string, string> | null;
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
      [field: string]: unknown;
    };
    query: never;
    response: {
      "id": string;
      "object": "response";
      "created_at": number;
      "status": "completed" | "failed" | "in_progress" | "cancelled" | "queued" | "incomplete";
      "error": {
        "code": string;
        "message": string;
        [field: string]: unknown;
      } | null;
      "incomplete_details": {
        "reason": string;
        [field: string]: unknown;
      } | null;
      "model": string;
      "output": Array<{
        "type": "message";
        "id": string;
        "status": "in_progress" | "completed" | "incomplete";
        "role": "assistant";
        "content": Array<{
          "type": "output_text";
          "text": string;
          "annotations": Array<unknown>;
          [field: string]: unknown;
        }>;
        [field: string]: unknown;
      } | {
        "type": "function_call";
        "id"?: string;
        "call_id": string;
        "name": string;
        "arguments": string;
        "status"?: "in_progress" | "completed" | "incomplete";
        [field: string]: unknown;
      } | {
        "type": string;
        [field: string]: unknown;
      }>;
      "usage": {
        "input_tokens": number;
        "output_tokens": number;
        "total_tokens": number;
        "cost_idr"?: number;
        "estimated"?: boolean;
        [field: string]: unknown;
      } | null;
      [field: string]: unknown;
    };
  };
  "DELETE /v1/responses/{id}": {
    body: never;
    query: never;
    response: {
      "id": string;
      "object": "response";
      "deleted": true;
    };
  };
  "GET /v1/responses/{id}": {
    body: never;
    query: never;
    response: {
      "id": string;
      "object": "response";
      "created_at": number;
      "status": "completed" | "failed" | "in_progress" | "cancelled" | "queued" | "incomplete";
      "error": {
        "code": string;
        "message": string;
        [field: string]: unknown;
      } | null;
      "incomplete_details": {
        "reason": string;
        [field: string]: unknown;
      } | null;
      "model": string;
      "output": Array<{
        "type": "message";
        "id": string;
        "status": "in_progress" | "completed" | "incomplete";
        "role": "assistant";
        "content": Array<{
          "type": "output_text";
          "text": string;
          "annotations": Array<unknown>;
          [field: string]: unknown;
        }>;
        [field: string]: unknown;
      } | {
        "type": "function_call";
        "id"?: string;
        "call_id": string;
        "name": string;
        "arguments": string;
        "status"?: "in_progress" | "completed" | "incomplete";
        [field: string]: unknown;
      } | {
        "type": string;
        [field: string]: unknown;
      }>;
      "usage": {
        "input_tokens": number;
        "output_tokens": number;
        "total_tokens": number;
        "cost_idr"?: number;
        "estimated"?: boolean;
        [field: string]: unknown;
      } | null;
      [field: string]: unknown;
    };
  };
  "POST /v1/videos": {
    body: {
      "model"?: string;
      "prompt": string;
      "seconds"?: number | string;
      "size"?: string;
    };
    query: never;
    response: {
      "id": string;
      "object": "video";
      "model": string;
      "status": "queued" | "in_progress" | "completed" | "failed";
      "progress": number;
      "created_at": number | null;
      "completed_at": number | null;
      "expires_at": number | null;
      "prompt": string | null;
      "size": string | null;
      "seconds": string | null;
      "remixed_from_video_id": null;
      "error": {
        "code": string;
        "message": string;
      } | null;
    };
  };
  "GET /v1/videos/{id}": {
    body: never;
    query: never;
    response: {
      "id": string;
      "object": "video";
      "model": string;
      "status": "queued" | "in_progress" | "completed" | "failed";
      "progress": number;
      "created_at": number | null;
      "completed_at": number | null;
      "expires_at": number | null;
      "prompt": string | null;
      "size": string | null;
      "seconds": string | null;
      "remixed_from_video_id": null;
      "error": {
        "code": string;
        "message": string;
      } | null;
    };
  };
  "GET /v1/videos/{id}/content": {
    body: never;
    query: {
      "variant"?: "video" | "thumbnail" | "spritesheet";
    };
    response: never;
  };
  "POST /webhooks/moota": {
    body: never;
    query: never;
    response: {
      "received": number;
      "stored": number;
      "mutations": Array<{
        "mutation_id": string;
        "outcome": "matched";
        "matched_by": "code" | "amount";
        "amount_idr": number;
      } | {
        "mutation_id": string;
        "outcome": "ignored";
        "reason": "debit" | "foreign_account" | "zero_amount";
      } | {
        "mutation_id": string;
        "outcome": string;
      }>;
      "rejected": Array<{
        "index": number;
        "mutation_id": string | null;
        "reason": string;
      }>;
    };
  };
  "POST /webhooks/runninghub": {
    body: never;
    query: never;
    response: {
      "received": true;
      "advanced": boolean;
    };
  };
}
