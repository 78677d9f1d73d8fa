package dev.asyncio.sample.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

/**
 * Who may do what over HTTP.
 *
 * <ul>
 * <li>Open: the dashboard's static files and {@code /actuator/health} with its liveness and readiness groups (load
 * balancers and Kubernetes probes carry no credentials).</li>
 * <li>Any authenticated user: every other actuator endpoint ({@code info}, {@code metrics}, {@code prometheus},
 * reading {@code asyncio}).</li>
 * <li>Role {@code ADMIN} only: closing ({@code DELETE}) and re-opening ({@code POST}) handles through
 * {@code /actuator/asyncio/{name}}.</li>
 * </ul>
 *
 * <p>Users come from Spring Boot's standard {@code spring.security.user.*} properties (the sample's
 * {@code application.yml} gives that user the {@code ADMIN} role; without a configured password Boot generates one
 * and logs it). Authentication is HTTP Basic without sessions, so CSRF protection, which guards cookie sessions, is
 * off. A request from JavaScript that sends {@code X-Requested-With: XMLHttpRequest} gets a plain 401 without the
 * {@code WWW-Authenticate} challenge, so the dashboard shows its own sign-in form instead of the browser's dialog.
 *
 * <p>Around Basic authentication ({@link HttpGuard}, {@code sample.security.*}): a write request to the actuator with
 * a foreign {@code Origin} is refused with 403 before anything else ({@link ForeignOriginFilter}); a source address
 * that sent too many wrong credentials gets 429 without its credentials being checked ({@link LoginThrottleFilter});
 * and credentials that the password encoder verified are accepted for a while after a cheap HMAC comparison instead
 * of a bcrypt check per request ({@link CachingAuthenticationProvider}).
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    /**
     * @param properties {@code sample.security.*}
     * @return the throttle, credential cache and origin check
     */
    @Bean
    HttpGuard httpGuard(HttpGuardProperties properties) {
        return new HttpGuard(properties);
    }

    /**
     * @param http  Spring Security's builder
     * @param users the users ({@code spring.security.user.*})
     * @param guard the throttle, credential cache and origin check
     * @return the filter chain
     * @throws Exception as {@link HttpSecurity#build()} does
     */
    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, UserDetailsService users, HttpGuard guard)
            throws Exception {
        http.authenticationManager(guard.authenticationManager(users))
                .addFilterBefore(guard.originFilter(), BasicAuthenticationFilter.class)
                .addFilterAfter(guard.throttleFilter(), ForeignOriginFilter.class)
                .authorizeHttpRequests(requests -> requests
                .requestMatchers(HttpMethod.GET, "/", "/index.html", "/dashboard.js", "/dashboard.css",
                        "/favicon.ico")
                .permitAll()
                .requestMatchers("/actuator/health", "/actuator/health/**", "/error").permitAll()
                .requestMatchers(HttpMethod.DELETE, "/actuator/asyncio/**").hasRole("ADMIN")
                .requestMatchers(HttpMethod.POST, "/actuator/asyncio/**").hasRole("ADMIN")
                .anyRequest().authenticated())
                .httpBasic(Customizer.withDefaults())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable());
        return http.build();
    }
}
